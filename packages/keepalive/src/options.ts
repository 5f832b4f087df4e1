import { KeepaliveOptionError } from './errors.js';

/** A whole number of milliseconds, at least `min`. */
export function checkDuration(option: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new KeepaliveOptionError(option, value, `an integer number of milliseconds >= ${min}`);
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
