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
  let closed = false;
  const cleanups: Array<() => void> = [];

  const guarded = (name: 'onData' | 'onDrain', call: () => void): void => {
    try {
      call();
    } catch (error) {
      destroy(new HandlerError(name, { cause: error }));
    }
  };

  return {
    get closed() {
      return closed;
    },
    data(chunk) {
      if (closed || !handlers.onData) return;
      const onData = handlers.onData;
      guarded('onData', () => onData(chunk));
    },
    drain() {
      if (closed || !handlers.onDrain) return;
      const onDrain = handlers.onDrain;
      guarded('onDrain', () => onDrain());
    },
    finish(event) {
      if (closed) return;
      closed = true;
      for (const cleanup of cleanups.splice(0)) cleanup();
      try {
        handlers.onClose?.(event);
      } catch (error) {
        // There is nobody left to report to; rethrow outside our call stack so the bug is seen
        // (an uncaught exception) without leaving this transport half closed.
        microtask(() => {
          throw error;
        });
      }
    },
    onFinish(cleanup) {
      if (closed) cleanup();
      else cleanups.push(cleanup);
    },
  };
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
