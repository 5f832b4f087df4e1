import { SocketError, type TransportError } from './errors.js';
import {
  clearRepeat,
  clearTimer,
  microtask,
  setRepeat,
  setTimer,
  type TimerHandle,
} from './globals.js';
import { bindSignal, createLifecycle, toTransportError } from './lifecycle.js';
import {
  type AbortSignalLike,
  DEFAULT_CLOSE_TIMEOUT_MS,
  type Transport,
  type TransportHandlers,
  type TransportInfo,
} from './types.js';

/** What the shared WebSocket logic needs from an open socket (browser `WebSocket` or `ws`). */
export interface WebSocketDriver {
  bufferedAmount(): number;
  send(bytes: Uint8Array): void;
  /** Start the closing handshake (code 1000), after what was sent. */
  close(): void;
  /** Drop the connection now (`ws`: terminate; browsers: close and stop listening). */
  terminate(): void;
  /**
   * Stop and restart reading (`ws`: `pause()`/`resume()`, which pause its socket). Absent in
   * browsers: a `WebSocket` cannot stop reading.
   */
  pause?(): void;
  resume?(): void;
}

/** Where the adapter forwards the socket's events. */
export interface WebSocketEvents {
  binary(chunk: Uint8Array): void;
  text(): void;
  error(cause: unknown): void;
  closed(code: number, reason: string): void;
}

/** Above this many buffered bytes `write` returns false. */
export const WS_HIGH_WATER_MARK = 64 * 1024;
/** Neither `ws` nor browsers emit a drain event: poll `bufferedAmount`, only while above the mark. */
export const WS_DRAIN_POLL_MS = 10;

// Close codes a peer uses for an orderly end (RFC 6455 section 7.4.1; 1005 = no code sent).
const CLEAN_CLOSE_CODES = new Set([1000, 1001, 1005]);

export function createWebSocketTransport(params: {
  info: TransportInfo;
  driver: WebSocketDriver;
  handlers: TransportHandlers;
  signal?: AbortSignalLike;
  closeTimeoutMs?: number;
}): { transport: Transport; events: WebSocketEvents } {
  const { info, driver } = params;
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let flushQueued = false;
  let closing = false;
  let needDrain = false;
  let drainPoll: TimerHandle | undefined;
  let closeTimer: TimerHandle | undefined;
  let socketError: unknown;

  const lifecycle = createLifecycle(params.handlers, (error) => fail('local', error));
  lifecycle.onFinish(() => {
    clearRepeat(drainPoll);
    clearTimer(closeTimer);
    pending = [];
    pendingBytes = 0;
  });

  function fail(initiator: 'local' | 'peer', error: TransportError | undefined): void {
    if (lifecycle.closed) return;
    closing = true;
    driver.terminate();
    lifecycle.finish(error ? { initiator, error } : { initiator });
  }

  // Writes of one tick become one frame: MQTT packets may span or share WebSocket frames
  // (MQTT 3.1.1 section 6.0, MQTT 5 section 6.0), so this changes nothing for the receiver.
  function flush(): void {
    flushQueued = false;
    if (pendingBytes === 0 || lifecycle.closed) return;
    const chunks = pending;
    const size = pendingBytes;
    pending = [];
    pendingBytes = 0;
    driver.send(chunks.length === 1 ? chunks[0]! : concat(chunks, size));
  }

  function pollDrain(): void {
    if (driver.bufferedAmount() + pendingBytes > 0) return;
    clearRepeat(drainPoll);
    drainPoll = undefined;
    needDrain = false;
    lifecycle.drain();
  }

  const transport: Transport = {
    info,
    get closed() {
      return lifecycle.closed;
    },
    write(bytes) {
      if (closing || lifecycle.closed) return false;
      if (bytes.byteLength > 0) {
        pending.push(bytes);
        pendingBytes += bytes.byteLength;
        if (!flushQueued) {
          flushQueued = true;
          microtask(flush);
        }
      }
      if (driver.bufferedAmount() + pendingBytes < WS_HIGH_WATER_MARK) return !needDrain;
      needDrain = true;
      drainPoll ??= setRepeat(pollDrain, WS_DRAIN_POLL_MS);
      return false;
    },
    pauseReading() {
      if (!driver.pause) return false;
      if (!lifecycle.closed) driver.pause();
      return true;
    },
    resumeReading() {
      if (!lifecycle.closed) driver.resume?.();
    },
    close() {
      if (closing || lifecycle.closed) return;
      closing = true;
      flush();
      // The peer's close frame is read like data: paused by inbound flow control, the closing
      // handshake could not finish and would wait out the close timeout instead.
      driver.resume?.();
      driver.close();
      closeTimer = setTimer(
        () => fail('local', undefined),
        params.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS,
      );
    },
    destroy(error) {
      fail('local', error === undefined ? undefined : toTransportError(error));
    },
  };

  bindSignal(params.signal, lifecycle, (error) => fail('local', error));

  const events: WebSocketEvents = {
    binary(chunk) {
      lifecycle.data(chunk);
    },
    text() {
      // [MQTT-6.0.0-1] MQTT is carried in binary frames only; another frame type closes the link.
      if (lifecycle.closed) return;
      closing = true;
      driver.terminate();
      lifecycle.finish({
        initiator: 'peer',
        error: new SocketError('WebSocket text frame; MQTT needs binary frames'),
      });
    },
    error(cause) {
      socketError ??= cause;
    },
    closed(code, reason) {
      if (lifecycle.closed) return;
      if (closing) {
        lifecycle.finish({ initiator: 'local' });
        return;
      }
      if (socketError === undefined && CLEAN_CLOSE_CODES.has(code)) {
        lifecycle.finish({ initiator: 'peer' });
        return;
      }
      const detail = reason ? `: ${reason}` : '';
      lifecycle.finish({
        initiator: 'peer',
        error: new SocketError(`WebSocket closed with code ${code}${detail}`, {
          cause: socketError,
          wsCloseCode: code,
        }),
      });
    },
  };

  return { transport, events };
}

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
