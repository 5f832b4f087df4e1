/**
 * The offline queue: operations made while no connection is up, sent in order once one is.
 *
 * Bounded on purpose. An unbounded queue turns a long outage into unbounded memory (and then a
 * burst the broker may throttle); the bound and the overflow policy make that trade visible:
 * - `reject-new`: a full queue refuses the new item (the caller rejects its promise with
 *   `QueueFullError`); what was queued first is sent first, nothing queued is lost.
 * - `drop-oldest`: the oldest items are evicted to make room (their promises reject with
 *   `QueueFullError`, `dropped: true`); for telemetry where the newest reading matters most.
 * - `wait`: the queue refuses like `reject-new`; the caller (`operations.ts`) then keeps the
 *   operation waiting for room instead of rejecting it.
 *
 * A ring buffer: `push` and `shift` are O(1) amortised and allocate nothing once the ring has
 * grown to its working size; `remove` (an aborted operation) is O(n).
 */
import { QueueFullError } from './errors.js';

// Re-exported for the modules that import it from here; the class lives with the other errors.
export { QueueFullError };

export type OverflowPolicy = 'reject-new' | 'drop-oldest' | 'wait';

export interface QueueOptions {
  /** Items kept at most (0 disables queueing: every push is refused). Default 1000. */
  maxMessages: number;
  /** Sum of `sizeOf` kept at most; absent: no byte bound. */
  maxBytes?: number;
  overflow: OverflowPolicy;
}

export const DEFAULT_QUEUE_OPTIONS: QueueOptions = Object.freeze({
  maxMessages: 1000,
  overflow: 'reject-new',
});

/**
 * `dropped`: with `drop-oldest`, the items evicted to make room, oldest first (more than one
 * when a byte bound needs it). The caller owns them now and must settle their promises.
 */
export type PushResult<T> = { accepted: true; dropped?: T[] } | { accepted: false };

export interface OfflineQueue<T> {
  /**
   * Appends `item`. Refused (`accepted: false`) when the queue is full under `reject-new`, or
   * when the item can never fit (`maxMessages` 0, or `sizeOf(item) > maxBytes`) under either
   * policy: evicting everything for an item that still would not fit helps no one.
   */
  push(item: T): PushResult<T>;
  /** Removes and returns the oldest item. */
  shift(): T | undefined;
  /** Removes and returns every item, oldest first. */
  drain(): T[];
  readonly length: number;
  /** Sum of `sizeOf` over the queued items (as measured when each was pushed). */
  readonly bytes: number;
  /** Removes `item` (compared with ===) wherever it is; false when it is not queued. */
  remove(item: T): boolean;
  /** Whether `item` could ever be queued (it fits an empty queue). */
  fits(item: T): boolean;
}

// Shared results: the common push allocates nothing.
const ACCEPTED: { accepted: true } = Object.freeze({ accepted: true as const });
const REFUSED: { accepted: false } = Object.freeze({ accepted: false as const });

const INITIAL_CAPACITY = 16;

/** `sizeOf` weighs an item for `maxBytes`: a finite number >= 0 (the client passes a payload length). */
export function createOfflineQueue<T>(
  options: QueueOptions,
  sizeOf: (item: T) => number,
): OfflineQueue<T> {
  // The options come from `resolveOptions`, which has checked them (InvalidOptionError).
  const maxMessages = options.maxMessages;
  const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
  const dropOldest = options.overflow === 'drop-oldest';

  // Power-of-two ring so wrap-around is a mask. Sizes are kept beside items: `sizeOf` is called
  // once per item, so `bytes` stays exact even if the item's size would read differently later.
  let items: (T | undefined)[] = new Array(INITIAL_CAPACITY);
  let sizes: number[] = new Array(INITIAL_CAPACITY).fill(0);
  let mask = INITIAL_CAPACITY - 1;
  let head = 0;
  let length = 0;
  let bytes = 0;

  const grow = (): void => {
    const capacity = items.length * 2;
    const nextItems: (T | undefined)[] = new Array(capacity);
    const nextSizes: number[] = new Array(capacity).fill(0);
    for (let i = 0; i < length; i++) {
      nextItems[i] = items[(head + i) & mask];
      nextSizes[i] = sizes[(head + i) & mask]!;
    }
    items = nextItems;
    sizes = nextSizes;
    mask = capacity - 1;
    head = 0;
  };

  const shift = (): T | undefined => {
    if (length === 0) return undefined;
    const item = items[head];
    items[head] = undefined; // let the item be collected
    bytes -= sizes[head]!;
    head = (head + 1) & mask;
    length--;
    if (length === 0) bytes = 0; // no float drift left behind by fractional sizes
    return item;
  };

  return {
    push(item: T): PushResult<T> {
      const size = sizeOf(item);
      if (maxMessages === 0 || size > maxBytes) return REFUSED;
      let dropped: T[] | undefined;
      if (length >= maxMessages || bytes + size > maxBytes) {
        if (!dropOldest) return REFUSED;
        dropped = [];
        // Terminates: with the queue empty, 0 < maxMessages and size <= maxBytes.
        while (length >= maxMessages || bytes + size > maxBytes) dropped.push(shift() as T);
      }
      if (length === items.length) grow();
      const at = (head + length) & mask;
      items[at] = item;
      sizes[at] = size;
      length++;
      bytes += size;
      return dropped ? { accepted: true, dropped } : ACCEPTED;
    },

    shift,

    drain(): T[] {
      const out = new Array<T>(length);
      for (let i = 0; i < out.length; i++) out[i] = shift() as T;
      return out;
    },

    get length(): number {
      return length;
    },

    get bytes(): number {
      return bytes;
    },

    fits(item: T): boolean {
      return maxMessages > 0 && sizeOf(item) <= maxBytes;
    },

    remove(item: T): boolean {
      for (let i = 0; i < length; i++) {
        if (items[(head + i) & mask] !== item) continue;
        bytes -= sizes[(head + i) & mask]!;
        // Close the gap by moving the younger items one slot towards the head.
        for (let j = i; j < length - 1; j++) {
          items[(head + j) & mask] = items[(head + j + 1) & mask];
          sizes[(head + j) & mask] = sizes[(head + j + 1) & mask]!;
        }
        items[(head + length - 1) & mask] = undefined;
        length--;
        if (length === 0) bytes = 0;
        return true;
      }
      return false;
    },
  };
}
