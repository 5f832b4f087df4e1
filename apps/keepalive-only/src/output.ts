const started = performance.now();

/** One line of output: elapsed seconds, who speaks, what happened. Plain text, no colours. */
export function say(who: string, text: string): void {
  const elapsed = ((performance.now() - started) / 1000).toFixed(3).padStart(7);
  console.log(`${elapsed}s ${who.padEnd(7)} ${text}`);
}

export function ms(value: number): string {
  return `${value.toFixed(1)} ms`;
}
