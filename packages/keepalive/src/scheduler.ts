/**
 * Time as the engine sees it. `now()` is a monotonic clock in milliseconds; `at(timeMs, fn)` calls
 * `fn` once, no earlier than `timeMs` on that clock (a time already past means "as soon as
 * possible", never synchronously), and returns a function that cancels the call.
 */
export interface Scheduler {
  /** The current time in ms, monotonic. */
  now(): number;
  /** Runs `fn` at `timeMs` (on the `now()` clock); returns a function that cancels it. */
  at(timeMs: number, fn: () => void): () => void;
}

/**
 * Where a real scheduler gets its timers: the host's `setTimeout`/`clearTimeout` by default, or
 * a source that is not throttled, such as `createWorkerTimers()`. Called as methods of the
 * object. A handle with an `unref()` method (Node's) is `unref`'d unless `keepProcessAlive`.
 */
export interface TimerSource {
  /** Runs `fn` after `ms`; returns a handle for `clearTimeout`. */
  setTimeout(fn: () => void, ms: number): unknown;
  /** Cancels a timer made by `setTimeout`. */
  clearTimeout(handle: unknown): void;
}

// `src/` is built with `lib: ES2022` and no Node or DOM types, so the few host globals used here
// are declared by hand. Every JavaScript host this package targets has them.
interface HostGlobals extends TimerSource {
  performance?: { now(): number };
}
const host = globalThis as unknown as HostGlobals;

/** The host's own timers, looked up at each call (so test doubles and late polyfills apply). */
export const hostTimers: TimerSource = {
  setTimeout: (fn, ms) => host.setTimeout(fn, ms),
  clearTimeout: (handle) => host.clearTimeout(handle),
};

function unrefHandle(handle: unknown): void {
  const unref = (handle as { unref?: unknown } | null)?.unref;
  if (typeof handle === 'object' && typeof unref === 'function') unref.call(handle);
}

/** setTimeout stores its delay in a signed 32-bit integer; longer delays fire at once. */
const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/** Milliseconds on a monotonic clock when the host has one (wall-clock jumps must not ping). */
const performanceClock = host.performance;
const monotonicNow: () => number = performanceClock
  ? () => performanceClock.now()
  : () => Date.now();

/** Options of `createRealScheduler`. */
export interface RealSchedulerOptions {
  /**
   * Whether a pending call keeps a Node process running. Default false (`unref`): a keepalive
   * engine must not hold a process open, its socket does. A host waiting to reconnect has no
   * socket open, so its timer must hold the process (true), or the process exits mid-wait.
   */
  keepProcessAlive?: boolean;
  /**
   * The timers to use. Default: the host's. In a browser, `createWorkerTimers()` keeps checks on
   * time in a hidden tab (`createRealScheduler({ timers: createWorkerTimers() })`); where it
   * returns undefined (no `Worker`), the host's timers are used.
   */
  timers?: TimerSource | undefined;
}

/** A scheduler on host timers: one timer per pending call. */
export function createRealScheduler(options: RealSchedulerOptions = {}): Scheduler {
  const unref = options.keepProcessAlive !== true;
  const timers = options.timers ?? hostTimers;
  if (typeof timers.setTimeout !== 'function' || typeof timers.clearTimeout !== 'function') {
    throw new TypeError('createRealScheduler: timers need setTimeout() and clearTimeout()');
  }
  return {
    now: monotonicNow,
    at(timeMs, fn) {
      // A source may use any value as a handle, undefined included: track "armed" apart.
      // Two closures per pending call (fire, cancel): a process may hold thousands of them.
      let armed = true;
      let handle: unknown;
      const fire = (): void => {
        // Host timers run on a coarser clock and may fire a fraction of a millisecond early (or a
        // long delay was split): honour the contract "never before timeMs" by re-arming.
        if (monotonicNow() < timeMs) {
          handle = armHostTimer(timers, unref, fire, timeMs);
          return;
        }
        armed = false;
        handle = undefined;
        fn();
      };
      handle = armHostTimer(timers, unref, fire, timeMs);
      return () => {
        if (armed) timers.clearTimeout(handle);
        armed = false;
        handle = undefined;
      };
    },
  };
}

function armHostTimer(
  timers: TimerSource,
  unref: boolean,
  fire: () => void,
  timeMs: number,
): unknown {
  const delay = Math.min(Math.max(0, timeMs - monotonicNow()), MAX_TIMER_DELAY_MS);
  const handle = timers.setTimeout(fire, Math.ceil(delay));
  if (unref) unrefHandle(handle);
  return handle;
}

/**
 * The default scheduler: one host timer per pending call, `unref`'d where the host supports it
 * so an idle engine never keeps a Node process alive. Use `createSharedScheduler()` for many
 * connections.
 */
export const realScheduler: Scheduler = createRealScheduler();
