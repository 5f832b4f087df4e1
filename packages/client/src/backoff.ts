/**
 * Reconnect delays: exponential backoff with full jitter.
 *
 * Why full jitter: when a broker or a load balancer drops thousands of clients at once, a fixed
 * exponential schedule brings them all back in synchronised waves (a thundering herd against a
 * cluster). Drawing each delay uniformly from [0, ceiling) spreads them out. Randomness is
 * injected (`random`), as ws injects `generateMask`, so tests are deterministic.
 *
 * Pure: no timers, no clock, no globals. The runner turns the number into a timer.
 */
import { InvalidBackoffError } from './errors.js';

// Re-exported for the modules that import it from here; the class lives with the other errors.
export { InvalidBackoffError };

/**
 * Reconnect delays: exponential growth from `initialDelayMs` to `maxDelayMs`, with optional full
 * jitter.
 */
export interface BackoffPolicy {
  /** Ceiling of the first attempt, in ms. */
  initialDelayMs: number;
  /** Largest ceiling, in ms; every delay is at most this. */
  maxDelayMs: number;
  /** Growth factor of the ceiling per attempt (>= 1). */
  multiplier: number;
  /** 'full': uniform in [0, ceiling]; 'none': exactly the ceiling (for tests and tooling). */
  jitter: 'full' | 'none';
}

/** 1 s, doubling, capped at 30 s, full jitter. Frozen: it is shared by every client. */
export const DEFAULT_BACKOFF: BackoffPolicy = Object.freeze({
  initialDelayMs: 1000,
  maxDelayMs: 30_000,
  multiplier: 2,
  jitter: 'full',
});

/**
 * Largest delay a timer can hold. Node and browsers store timeouts as signed 32-bit ms and fire a
 * larger one after ~1 ms instead, which would turn a "long backoff" into a reconnect storm.
 */
export const MAX_BACKOFF_DELAY_MS = 2_147_483_647;

const isMs = (v: unknown): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_BACKOFF_DELAY_MS;

/**
 * Throws `InvalidBackoffError` unless `p` is a usable policy: integer delays in
 * 0..2^31-1 ms with `initialDelayMs <= maxDelayMs`, a finite `multiplier >= 1` (below 1 the
 * delays would shrink, retrying a failing broker ever faster), and a known `jitter`.
 * Call it once when options are read, not per attempt.
 */
export function validateBackoffPolicy(p: unknown): asserts p is BackoffPolicy {
  if (typeof p !== 'object' || p === null) throw new InvalidBackoffError('policy', p, 'an object');
  const { initialDelayMs, maxDelayMs, multiplier, jitter } = p as Record<string, unknown>;
  const range = `integer ms 0-${MAX_BACKOFF_DELAY_MS}`;
  if (!isMs(initialDelayMs)) throw new InvalidBackoffError('initialDelayMs', initialDelayMs, range);
  if (!isMs(maxDelayMs)) throw new InvalidBackoffError('maxDelayMs', maxDelayMs, range);
  if (maxDelayMs < initialDelayMs) {
    throw new InvalidBackoffError(
      'maxDelayMs',
      maxDelayMs,
      `at least initialDelayMs (${initialDelayMs})`,
    );
  }
  if (typeof multiplier !== 'number' || !Number.isFinite(multiplier) || multiplier < 1) {
    throw new InvalidBackoffError('multiplier', multiplier, 'a finite number >= 1');
  }
  if (jitter !== 'full' && jitter !== 'none') {
    throw new InvalidBackoffError('jitter', jitter, "'full' or 'none'");
  }
}

/**
 * The delay before reconnect attempt `attempt` (1 for the first retry), in whole ms:
 * `ceiling = min(maxDelayMs, initialDelayMs * multiplier^(attempt - 1))`, then
 * `floor(random() * ceiling)` with full jitter, or `floor(ceiling)` without.
 *
 * Total for any input: an attempt below 1 (or NaN) counts as 1, a huge attempt saturates at
 * `maxDelayMs` (the power overflows to Infinity, which `min` absorbs), and `random()` outside
 * [0, 1] or NaN is clamped, so the result is always an integer in [0, maxDelayMs]. The policy is
 * assumed valid (`validateBackoffPolicy`).
 */
export function backoffDelay(policy: BackoffPolicy, attempt: number, random: () => number): number {
  const { initialDelayMs, maxDelayMs, multiplier } = policy;
  // `attempt >= 1` is false for NaN too.
  const exponent = attempt >= 1 ? Math.floor(attempt) - 1 : 0;
  // 0 * Infinity and 1 ** Infinity are NaN: a zero delay or a unit multiplier never grows.
  const grown =
    initialDelayMs === 0 || multiplier === 1
      ? initialDelayMs
      : initialDelayMs * multiplier ** exponent;
  const ceiling = Math.min(grown, maxDelayMs);
  if (policy.jitter === 'none') return Math.floor(ceiling);
  const r = random();
  // A broken source (NaN, negative, above 1) must not yield NaN or exceed the ceiling.
  const unit = r > 0 ? Math.min(r, 1) : 0;
  return Math.floor(unit * ceiling);
}
