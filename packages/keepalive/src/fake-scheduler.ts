import type { Scheduler } from './scheduler.js';
import { TimerHeap } from './timer-heap.js';

/** A manual clock for tests: time moves only when the test says so. */
export interface FakeScheduler extends Scheduler {
  /**
   * Move the clock forward by `ms`, running every call that falls due on the way at its own
   * time (`now()` inside a call is the time it was scheduled for), in (time, scheduling order).
   * Calls scheduled on the way run too if they fall due before the target.
   */
  advance(ms: number): void;
  /**
   * Move the clock forward by `ms` in one step, then run what is overdue at the new time: what a
   * suspended process or a late timer looks like to the code under test.
   */
  jump(ms: number): void;
  /** Run the calls already due at the current time (including ones scheduled in the past). */
  runDue(): void;
  /** Number of calls waiting. */
  pending(): number;
}

/** Options of `createFakeScheduler`. */
export interface FakeSchedulerOptions {
  /** Initial value of `now()`. Default 0. */
  now?: number;
}

/** A scheduler whose clock moves only when told to: for tests. */
export function createFakeScheduler(options: FakeSchedulerOptions = {}): FakeScheduler {
  const heap = new TimerHeap();
  let now = options.now ?? 0;

  const runUntil = (target: number, stepwise: boolean): void => {
    for (;;) {
      const head = heap.peek();
      if (head === undefined || head.time > target) break;
      heap.pop();
      if (stepwise && head.time > now) now = head.time;
      head.fn();
    }
    now = Math.max(now, target);
  };

  const checkStep = (ms: number): void => {
    if (!(ms >= 0) || !Number.isFinite(ms)) {
      throw new RangeError(`fake scheduler: cannot move time by ${ms} ms`);
    }
  };

  return {
    now: () => now,
    at(timeMs, fn) {
      const entry = heap.insert(timeMs, fn);
      return () => heap.remove(entry);
    },
    advance(ms) {
      checkStep(ms);
      runUntil(now + ms, true);
    },
    jump(ms) {
      checkStep(ms);
      now += ms;
      runUntil(now, false);
    },
    runDue() {
      runUntil(now, true);
    },
    pending: () => heap.size,
  };
}
