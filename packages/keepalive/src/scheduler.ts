/**
 * Time as the engine sees it. `now()` is a monotonic clock in milliseconds; `at(timeMs, fn)` calls
 * `fn` once, no earlier than `timeMs` on that clock (a time already past means "as soon as
 * possible", never synchronously), and returns a function that cancels the call.
 */
export interface Scheduler {
  now(): number;
  at(timeMs: number, fn: () => void): () => void;
}

// `src/` is built with `lib: ES2022` and no Node or DOM types, so the few host globals used here
// are declared by hand. Every JavaScript host this package targets has them.
interface TimerHandle {
  unref?: () => unknown;
}
interface HostGlobals {
  setTimeout(fn: () => void, ms: number): TimerHandle | number;
  clearTimeout(handle: TimerHandle | number): void;
  performance?: { now(): number };
}
const host = globalThis as unknown as HostGlobals;

/** setTimeout stores its delay in a signed 32-bit integer; longer delays fire at once. */
const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/** Milliseconds on a monotonic clock when the host has one (wall-clock jumps must not ping). */
const performanceClock = host.performance;
const monotonicNow: () => number = performanceClock
  ? () => performanceClock.now()
  : () => Date.now();

export interface RealSchedulerOptions {
  /**
   * Whether a pending call keeps a Node process running. Default false (`unref`): a keepalive
   * engine must not hold a process open, its socket does. A host waiting to reconnect has no
   * socket open, so its timer must hold the process (true), or the process exits mid-wait.
   */
  keepProcessAlive?: boolean;
}

/** A scheduler on host timers: one timer per pending call. */
export function createRealScheduler(options: RealSchedulerOptions = {}): Scheduler {
  const unref = options.keepProcessAlive !== true;
  return {
    now: monotonicNow,
    at(timeMs, fn) {
      let handle: TimerHandle | number | undefined;
      const arm = (): void => {
        const delay = Math.min(Math.max(0, timeMs - monotonicNow()), MAX_TIMER_DELAY_MS);
        handle = host.setTimeout(fire, Math.ceil(delay));
        if (unref && typeof handle === 'object' && typeof handle.unref === 'function') {
          handle.unref();
        }
      };
      const fire = (): void => {
        handle = undefined;
        // Host timers run on a coarser clock and may fire a fraction of a millisecond early (or a
        // long delay was split): honour the contract "never before timeMs" by re-arming.
        if (monotonicNow() < timeMs) arm();
        else fn();
      };
      arm();
      return () => {
        if (handle !== undefined) host.clearTimeout(handle);
        handle = undefined;
      };
    },
  };
}

/**
 * The default scheduler: one host timer per pending call, `unref`'d where the host supports it
 * so an idle engine never keeps a Node process alive. Use `createSharedScheduler()` for many
 * connections.
 */
export const realScheduler: Scheduler = createRealScheduler();
