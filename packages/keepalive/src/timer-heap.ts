/** One pending call in a `TimerHeap`. `index` is its slot in the heap, -1 once removed. */
export interface TimerEntry {
  readonly time: number;
  /** Insertion order: calls due at the same time run in the order they were scheduled. */
  readonly seq: number;
  readonly fn: () => void;
  index: number;
}

/**
 * A binary min-heap of timer entries ordered by (time, seq), with O(log n) insert, pop and
 * removal of any entry (each entry knows its slot, so cancelling needs no search).
 */
export class TimerHeap {
  private readonly items: TimerEntry[] = [];
  private nextSeq = 0;

  get size(): number {
    return this.items.length;
  }

  /** The seq the next inserted entry gets; entries with a smaller seq were inserted before. */
  get seqMark(): number {
    return this.nextSeq;
  }

  peek(): TimerEntry | undefined {
    return this.items[0];
  }

  insert(time: number, fn: () => void): TimerEntry {
    const entry: TimerEntry = { time, seq: this.nextSeq++, fn, index: this.items.length };
    this.items.push(entry);
    this.up(entry.index);
    return entry;
  }

  pop(): TimerEntry | undefined {
    const top = this.items[0];
    if (top !== undefined) this.remove(top);
    return top;
  }

  /** Remove `entry` if it is still in the heap. */
  remove(entry: TimerEntry): void {
    const i = entry.index;
    if (i < 0 || this.items[i] !== entry) return;
    entry.index = -1;
    const last = this.items.pop() as TimerEntry;
    if (i === this.items.length) return;
    this.items[i] = last;
    last.index = i;
    this.up(i);
    this.down(last.index);
  }

  private less(a: TimerEntry, b: TimerEntry): boolean {
    return a.time < b.time || (a.time === b.time && a.seq < b.seq);
  }

  private up(start: number): void {
    const items = this.items;
    let i = start;
    const entry = items[i] as TimerEntry;
    while (i > 0) {
      const parentIndex = (i - 1) >> 1;
      const parent = items[parentIndex] as TimerEntry;
      if (!this.less(entry, parent)) break;
      items[i] = parent;
      parent.index = i;
      i = parentIndex;
    }
    items[i] = entry;
    entry.index = i;
  }

  private down(start: number): void {
    const items = this.items;
    const n = items.length;
    let i = start;
    const entry = items[i] as TimerEntry;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      if (right < n && this.less(items[right] as TimerEntry, items[left] as TimerEntry)) {
        child = right;
      }
      const smallest = items[child] as TimerEntry;
      if (!this.less(smallest, entry)) break;
      items[i] = smallest;
      smallest.index = i;
      i = child;
    }
    items[i] = entry;
    entry.index = i;
  }
}
