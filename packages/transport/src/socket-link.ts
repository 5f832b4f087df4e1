import type { Socket } from 'node:net';
import { SocketError, type TransportError } from './errors.js';
import { bindSignal, createLifecycle, toTransportError } from './lifecycle.js';
import {
  type AbortSignalLike,
  DEFAULT_CLOSE_TIMEOUT_MS,
  type Transport,
  type TransportHandlers,
  type TransportInfo,
} from './types.js';

/**
 * A connected `net.Socket` or `tls.TLSSocket` as a `Transport`. The socket must have no
 * listeners of the connect phase left on it.
 */
export function createSocketTransport(params: {
  socket: Socket;
  info: TransportInfo;
  handlers: TransportHandlers;
  signal?: AbortSignalLike;
  closeTimeoutMs?: number;
}): Transport {
  const { socket, info } = params;
  let closing = false;
  let corked = false;
  let needDrain = false;
  let closeTimer: NodeJS.Timeout | undefined;
  let socketError: unknown;

  const lifecycle = createLifecycle(params.handlers, (error) => fail(error));
  lifecycle.onFinish(() => clearTimeout(closeTimer));

  function fail(error: TransportError | undefined): void {
    if (lifecycle.closed) return;
    closing = true;
    socket.destroy();
    lifecycle.finish(error ? { initiator: 'local', error } : { initiator: 'local' });
  }

  const uncork = () => {
    if (!corked) return;
    corked = false;
    socket.uncork();
  };

  // MQTT packets are small; batching per tick (below) already coalesces them, so Nagle's delay
  // would only add latency.
  socket.setNoDelay(true);
  socket.on('data', (chunk: Buffer) => lifecycle.data(chunk));
  socket.on('drain', () => {
    if (!needDrain) return;
    needDrain = false;
    lifecycle.drain();
  });
  socket.on('error', (error) => {
    socketError ??= error;
  });
  socket.on('close', () => {
    if (lifecycle.closed) return;
    if (closing) lifecycle.finish({ initiator: 'local' });
    else if (socketError === undefined) lifecycle.finish({ initiator: 'peer' });
    else {
      lifecycle.finish({
        initiator: 'peer',
        error: new SocketError(`Connection to ${info.endpoint} failed`, { cause: socketError }),
      });
    }
  });

  const transport: Transport = {
    info,
    get closed() {
      return lifecycle.closed;
    },
    write(bytes) {
      // writableEnded: the peer ended and Node ended our side too; a write now would only
      // turn an orderly peer close into a write-after-end error.
      if (closing || lifecycle.closed || socket.destroyed || socket.writableEnded) return false;
      // Writes of one tick leave in one writev: cork now, uncork after the current tick.
      if (!corked) {
        corked = true;
        socket.cork();
        process.nextTick(uncork);
      }
      const ok = socket.write(bytes);
      if (!ok) needDrain = true;
      return ok;
    },
    close() {
      if (closing || lifecycle.closed) return;
      closing = true;
      uncork();
      // end() sends what is buffered, then FIN; 'close' follows when the peer closes its side.
      socket.end();
      closeTimer = setTimeout(
        () => fail(undefined),
        params.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS,
      );
    },
    destroy(error) {
      fail(error === undefined ? undefined : toTransportError(error));
    },
  };

  bindSignal(params.signal, lifecycle, fail);
  return transport;
}
