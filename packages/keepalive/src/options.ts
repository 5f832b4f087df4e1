import { KeepaliveOptionError } from './errors.js';

/** A whole number of milliseconds, at least `min`. */
export function checkDuration(option: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new KeepaliveOptionError(option, value, `integer ms >= ${min}`);
  }
  return value;
}

export function checkCallback<T>(option: string, value: T): T {
  if (typeof value !== 'function') throw new KeepaliveOptionError(option, value, 'a function');
  return value;
}

/** Default ping timeout: half the keepalive, so the default bound is 1.5 x keepalive. */
export function defaultPingTimeoutMs(keepaliveMs: number): number {
  return Math.max(1, Math.ceil(keepaliveMs / 2));
}

/** Beyond this lateness a check is "asleep" whatever the ping timeout (see `lateSlackMs`). */
const LATE_SLACK_CAP_MS = 1000;

/**
 * How much later than scheduled a check may run and still count as on time; later than this,
 * the engine was asleep and gives an outstanding PINGREQ `pingTimeoutMs` from the wake-up.
 * - Half the ping timeout: a grace adds `pingTimeoutMs` to detection, so granting it only past
 *   this lateness keeps its cost within twice the delay the timers already caused. Ordinary
 *   event-loop jitter (tens of ms) stays below it, so the on-time bound is unchanged.
 * - At most 1 s: browsers align the timers of a hidden but running tab to 1 s wake-ups, while it
 *   still reads its sockets at once. A check later than that was not merely throttled: the tab
 *   was frozen, throttled to once a minute, or the machine slept, and a PINGRESP may be unread.
 */
export function lateSlackMs(pingTimeoutMs: number): number {
  return Math.min(LATE_SLACK_CAP_MS, pingTimeoutMs / 2);
}
