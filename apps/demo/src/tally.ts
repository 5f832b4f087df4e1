/**
 * Counts what the sensors sent and what the dashboard received, by message. Every payload ends in
 * a unique `#<n>`, so a message counts as received once even when QoS 1 (at least once) delivers
 * it twice; repeats are counted apart as duplicates.
 */
export class Tally {
  private readonly expected = new Set<string>();
  private readonly seen = new Set<string>();
  private next = 1;
  duplicates = 0;

  /** A payload for a new message: the reading plus its unique number. */
  label(reading: string): string {
    return `${reading} #${this.next++}`;
  }

  sent(topic: string, payload: string): void {
    this.expected.add(`${topic} ${payload}`);
  }

  received(topic: string, payload: string): void {
    const key = `${topic} ${payload}`;
    if (this.seen.has(key)) this.duplicates++;
    this.seen.add(key);
  }

  get sentCount(): number {
    return this.expected.size;
  }

  /** Distinct sent messages that arrived. */
  get receivedCount(): number {
    let count = 0;
    for (const key of this.expected) if (this.seen.has(key)) count++;
    return count;
  }

  get lost(): number {
    return this.sentCount - this.receivedCount;
  }
}
