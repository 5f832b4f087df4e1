import { AbortError, HandlerError, SocketError, TransportError } from './errors.js';
import { microtask } from './globals.js';
import type { AbortSignalLike, TransportCloseEvent, TransportHandlers } from './types.js';

/**
 * The part every adapter shares once a connection is open: handlers are called only while the
 * transport is open, `onClose` fires exactly once, and a throwing `onData`/`onDrain` destroys the
 * transport instead of unwinding through the socket's event emitter.
 */
export interface Lifecycle {
  readonly closed: boolean;
  data(chunk: Uint8Array): void;
  drain(): void;
  /** Fires `onClose` the first time, then runs the cleanups. Later calls do nothing. */
  finish(event: TransportCloseEvent): void;
  /** Registers work for `finish` (timers, listeners). */
  onFinish(cleanup: () => void): void;
}

export function createLifecycle(
  handlers: TransportHandlers,
  destroy: (error: TransportError) => void,
): Lifecycle {
  return new GuardedLifecycle(handlers, destroy);
}

// A class, not an object of closures: one lives as long as each open link.
class GuardedLifecycle implements Lifecycle {
  closed = false;
  readonly #handlers: TransportHandlers;
  readonly #destroy: (error: TransportError) => void;
  #cleanups: Array<() => void> | undefined;

  constructor(handlers: TransportHandlers, destroy: (error: TransportError) => void) {
    this.#handlers = handlers;
    this.#destroy = destroy;
  }

  // Handlers are called as methods of the object given to `open`, so it may be a class instance.
  data(chunk: Uint8Array): void {
    if (this.closed || !this.#handlers.onData) return;
    try {
      this.#handlers.onData(chunk);
    } catch (error) {
      this.#destroy(new HandlerError('onData', { cause: error }));
    }
  }

  drain(): void {
    if (this.closed || !this.#handlers.onDrain) return;
    try {
      this.#handlers.onDrain();
    } catch (error) {
      this.#destroy(new HandlerError('onDrain', { cause: error }));
    }
  }

  finish(event: TransportCloseEvent): void {
    if (this.closed) return;
    this.closed = true;
    const cleanups = this.#cleanups ?? [];
    this.#cleanups = undefined;
    for (const cleanup of cleanups) cleanup();
    try {
      this.#handlers.onClose?.(event);
    } catch (error) {
      // There is nobody left to report to; rethrow outside our call stack so the bug is seen
      // (an uncaught exception) without leaving this transport half closed.
      microtask(() => {
        throw error;
      });
    }
  }

  onFinish(cleanup: () => void): void {
    if (this.closed) {
      cleanup();
      return;
    }
    // A literal at first: an array grown from empty by push reserves 17 slots.
    if (this.#cleanups) this.#cleanups.push(cleanup);
    else this.#cleanups = [cleanup];
  }
}

/** What `destroy(error)` reports: a `TransportError` as is, anything else wrapped. */
export function toTransportError(error: unknown): TransportError {
  if (error instanceof TransportError) return error;
  return new SocketError('Transport destroyed', { cause: error });
}

/** After open, aborting the signal destroys the transport with an `AbortError`. */
export function bindSignal(
  signal: AbortSignalLike | undefined,
  lifecycle: Lifecycle,
  destroy: (error: TransportError) => void,
): void {
  if (!signal) return;
  const onAbort = () => destroy(new AbortError('Transport aborted', { cause: signal.reason }));
  if (signal.aborted) {
    onAbort();
    return;
  }
  signal.addEventListener('abort', onAbort, { once: true });
  lifecycle.onFinish(() => signal.removeEventListener('abort', onAbort));
}
