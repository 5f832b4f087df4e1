import type { DeadReason } from './keepalive.js';

/**
 * Stable codes of every error this package throws or hands out. Match on `code`, not
 * `instanceof`: two copies of the package can be loaded at once.
 */
export type KeepaliveErrorCode =
  | 'MQTTKIT_ERR_INVALID_KEEPALIVE_OPTION'
  | 'MQTTKIT_ERR_KEEPALIVE_TIMEOUT';

/**
 * An option that is not a usable value: a negative, fractional, NaN or infinite duration, or a
 * callback that is not a function. Thrown synchronously by `createKeepalive` and `setKeepalive`.
 */
export class KeepaliveOptionError extends RangeError {
  readonly code = 'MQTTKIT_ERR_INVALID_KEEPALIVE_OPTION' as const;
  /** The option that was refused, e.g. `keepaliveMs`. */
  readonly option: string;
  readonly value: unknown;

  constructor(option: string, value: unknown, expected: string) {
    super(`Invalid keepalive option ${option}: ${describe(value)} (expected ${expected})`);
    this.name = 'KeepaliveOptionError';
    this.option = option;
    this.value = value;
  }
}

/**
 * The link was declared dead: a PINGREQ went unanswered. The engine never throws this itself; it
 * hands `onDead` a plain reason object, and hosts that want an `Error` (for a `close` event or a
 * rejected promise) build one with `new KeepaliveTimeoutError(reason)`.
 */
export class KeepaliveTimeoutError extends Error {
  readonly code = 'MQTTKIT_ERR_KEEPALIVE_TIMEOUT' as const;
  /** MQTT 5 reason code 0x8D "Keep Alive timeout". */
  readonly reasonCode = 0x8d;
  readonly reason: DeadReason;

  constructor(reason: DeadReason, options?: { cause?: unknown }) {
    super(
      `Keepalive timeout: nothing received for ${Math.round(reason.silentMs)} ms ` +
        `(keepalive ${reason.keepaliveMs} ms, PINGREQ unanswered for ${Math.round(
          reason.detectedAt - reason.pingSentAt,
        )} ms, ping timeout ${reason.pingTimeoutMs} ms)`,
      options,
    );
    this.name = 'KeepaliveTimeoutError';
    this.reason = reason;
  }
}

function describe(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') {
    return String(value);
  }
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null) return 'null';
  return typeof value;
}
