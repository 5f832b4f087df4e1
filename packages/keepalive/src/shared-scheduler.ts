import { realScheduler, type Scheduler } from './scheduler.js';
import { type TimerEntry, TimerHeap } from './timer-heap.js';

/** Options of `createSharedScheduler`. */
export interface SharedSchedulerOptions {
  /** The scheduler that owns the one underlying timer. Default: `realScheduler`. */
  base?: Scheduler;
  /**
   * Called with the error when a scheduled call throws; the other calls due in the same batch
   * still run. Default: rethrow from a rejected promise, so the host's unhandled-rejection
   * handling reports it.
   */
  onError?: (error: unknown) => void;
}

/** What `sharedScheduler.stats()` returns. */
export interface SharedSchedulerStats {
  /** Calls waiting in the heap. */
  pending: number;
  /** Timers currently held on the base scheduler: 0 when nothing is pending, otherwise 1. */
  timers: number;
}

/** A `Scheduler` that multiplexes any number of pending calls onto one timer of its base. */
export interface SharedScheduler extends Scheduler {
  /** How many calls wait and how many timers are held on the base scheduler. */
  stats(): SharedSchedulerStats;
}

/**
 * Many engines, one timer. Pending calls live in a min-heap (O(log n) to schedule or cancel);
 * a single timer on the base scheduler is armed for the earliest one. Each wake-up runs every
 * call that is due, in (time, scheduling order).
 * A call that throws does not stop the others (see `onError`).
 */
export function createSharedScheduler(options: SharedSchedulerOptions = {}): SharedScheduler {
  const base = options.base ?? realScheduler;
  const onError =
    options.onError ??
    ((error: unknown) => {
      void Promise.reject(error);
    });
  const heap = new TimerHeap();
  let cancelBase: (() => void) | undefined;
  let armedFor = Number.POSITIVE_INFINITY;
  // While a batch runs, scheduling and cancelling leave the base timer alone; the batch re-arms
  // it once at the end.
  let inBatch = false;

  const rearm = (): void => {
    const head = heap.peek();
    const wanted = head === undefined ? Number.POSITIVE_INFINITY : head.time;
    if (wanted === armedFor) return;
    cancelBase?.();
    cancelBase = undefined;
    armedFor = wanted;
    if (head !== undefined) cancelBase = base.at(wanted, wake);
  };

  const wake = (): void => {
    cancelBase = undefined;
    armedFor = Number.POSITIVE_INFINITY;
    const now = base.now();
    // Calls scheduled by the callbacks of this batch wait for the next wake-up, even when they
    // are already due, so a callback that keeps rescheduling itself cannot starve the host.
    const mark = heap.seqMark;
    inBatch = true;
    try {
      for (;;) {
        const head = heap.peek();
        if (head === undefined || head.time > now || head.seq >= mark) break;
        heap.pop();
        try {
          head.fn();
        } catch (error) {
          onError(error);
        }
      }
    } finally {
      inBatch = false;
      rearm();
    }
  };

  return {
    now: () => base.now(),
    at(timeMs, fn) {
      const entry: TimerEntry = heap.insert(timeMs, fn);
      if (!inBatch && timeMs < armedFor) rearm();
      return () => {
        if (entry.index < 0) return;
        const wasHead = heap.peek() === entry;
        heap.remove(entry);
        if (wasHead && !inBatch) rearm();
      };
    },
    stats: () => ({ pending: heap.size, timers: cancelBase === undefined ? 0 : 1 }),
  };
}
