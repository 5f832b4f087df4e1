/**
 * What an edge of the diagram says: every event that takes that transition, in plain words, wrapped
 * into short lines. The whole list is on the page (no "+2 more" that only a hover explains).
 */

/** An event's name in plain words: `transportClosed` -> `transport closed`. */
export const inWords = (event: string): string =>
  event.replace(/[A-Z]/g, (letter) => ` ${letter.toLowerCase()}`);

/**
 * The events as lines of at most `maxChars` characters (one event longer than that gets a line of
 * its own), separated by commas; an event is never split across lines.
 */
export function labelLines(events: readonly string[], maxChars: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const words of events.map(inWords)) {
    const longer = line ? `${line}, ${words}` : words;
    if (line && longer.length > maxChars) {
      lines.push(`${line},`);
      line = words;
    } else {
      line = longer;
    }
  }
  if (line) lines.push(line);
  return lines;
}
