// Colors only for a person at a terminal; logs and pipes get plain text.
const useColor = process.stdout.isTTY === true && !process.env.NO_COLOR;

const paint =
  (code: number) =>
  (text: string): string =>
    useColor ? `\x1b[${code}m${text}\x1b[0m` : text;

export const bold = paint(1);
export const dim = paint(2);
export const green = paint(32);
export const yellow = paint(33);
export const cyan = paint(36);
export const red = paint(31);

const started = Date.now();

/** One line of demo output, prefixed with the elapsed time and who speaks. */
export function say(who: string, text: string): void {
  const elapsed = ((Date.now() - started) / 1000).toFixed(2).padStart(6);
  console.log(`${dim(`${elapsed}s`)} ${cyan(who.padEnd(11))} ${text}`);
}
