import {
  AbortError,
  ConnectTimeoutError,
  TransportConnectError,
  TransportError,
} from './errors.js';
import { clearTimer, setTimer } from './globals.js';
import { type AbortSignalLike, DEFAULT_CONNECT_TIMEOUT_MS } from './types.js';

const MAX_TIMER_MS = 2 ** 31 - 1;

export interface ConnectAttempt<T> {
  /** The connection is up: resolve `open` with `value`. Returns false if `open` already settled. */
  succeed(value: T): boolean;
  /** The attempt failed: reject `open` (once) and run the attempt's cancel. */
  fail(error: TransportError): void;
}

/**
 * Runs one connection attempt under the connect timeout and the abort signal, so `open` settles
 * exactly once: resolved with the transport, or rejected with a typed error, never both.
 * `start` begins the attempt and returns how to tear it down (destroy the half-open socket).
 */
export function runConnectAttempt<T>(
  options: { signal?: AbortSignalLike; connectTimeoutMs?: number; endpoint: string },
  start: (attempt: ConnectAttempt<T>) => () => void,
): Promise<T> {
  const { signal, endpoint } = options;
  const timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  return new Promise<T>((resolve, reject) => {
    if (signal?.aborted) {
      reject(new AbortError(`Connecting to ${endpoint} aborted`, { cause: signal.reason }));
      return;
    }
    let settled = false;
    let cancel: (() => void) | undefined;
    let cancelNeeded = false;

    const settle = () => {
      settled = true;
      clearTimer(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const fail = (error: TransportError) => {
      if (settled) return;
      settle();
      if (cancel) cancel();
      else cancelNeeded = true;
      reject(error);
    };
    const onAbort = () =>
      fail(new AbortError(`Connecting to ${endpoint} aborted`, { cause: signal?.reason }));
    // Infinity disables the timeout; host timers cannot hold more than 2^31-1 ms (they would fire at once).
    const timer =
      timeoutMs <= MAX_TIMER_MS
        ? setTimer(() => fail(new ConnectTimeoutError(endpoint, timeoutMs)), timeoutMs)
        : undefined;
    signal?.addEventListener('abort', onAbort, { once: true });

    try {
      cancel = start({
        succeed(value) {
          if (settled) return false;
          settle();
          resolve(value);
          return true;
        },
        fail,
      });
    } catch (error) {
      fail(
        error instanceof TransportError
          ? error
          : new TransportConnectError(endpoint, { cause: error }),
      );
    }
    if (cancelNeeded) cancel?.();
  });
}
