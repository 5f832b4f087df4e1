import type { Socket } from 'node:net';
import { SocketError, type TransportError } from './errors.js';
import { bindSignal, createLifecycle, type Lifecycle, toTransportError } from './lifecycle.js';
import {
  type AbortSignalLike,
  DEFAULT_CLOSE_TIMEOUT_MS,
  type Transport,
  type TransportCloseEvent,
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
  return new SocketTransport(params);
}

/** Where a socket's listeners find their transport: shared listeners, not four closures each. */
const owner = Symbol('mqttkit.socketTransport');
type OwnedSocket = Socket & { [owner]: SocketTransport };

function onSocketData(this: OwnedSocket, chunk: Buffer): void {
  this[owner].lifecycle.data(chunk);
}

function onSocketDrain(this: OwnedSocket): void {
  this[owner].drained();
}

function onSocketError(this: OwnedSocket, error: Error): void {
  this[owner].socketError ??= error;
}

function onSocketClose(this: OwnedSocket): void {
  this[owner].socketClosed();
}

function uncork(transport: SocketTransport): void {
  transport.uncork();
}

// A class, not an object of closures: one lives as long as each open link, and a process may
// hold thousands of idle ones.
class SocketTransport implements Transport {
  readonly info: TransportInfo;
  readonly lifecycle: Lifecycle;
  socketError: unknown;
  private readonly socket: Socket;
  private readonly closeTimeoutMs: number | undefined;
  private closing = false;
  private corked = false;
  private needDrain = false;
  private closeTimer: NodeJS.Timeout | undefined;

  constructor(params: {
    socket: Socket;
    info: TransportInfo;
    handlers: TransportHandlers;
    signal?: AbortSignalLike | undefined;
    closeTimeoutMs?: number | undefined;
  }) {
    const { socket } = params;
    this.socket = socket;
    this.info = params.info;
    this.closeTimeoutMs = params.closeTimeoutMs;
    const fail = (error: TransportError): void => this.fail(error);
    this.lifecycle = createLifecycle(params.handlers, fail);
    // MQTT packets are small; batching per tick (below) already coalesces them, so Nagle's delay
    // would only add latency.
    socket.setNoDelay(true);
    (socket as OwnedSocket)[owner] = this;
    socket.on('data', onSocketData);
    socket.on('drain', onSocketDrain);
    socket.on('error', onSocketError);
    socket.on('close', onSocketClose);
    bindSignal(params.signal, this.lifecycle, fail);
  }

  get closed(): boolean {
    return this.lifecycle.closed;
  }

  write(bytes: Uint8Array): boolean {
    const socket = this.socket;
    // writableEnded: the peer ended and Node ended our side too; a write now would only
    // turn an orderly peer close into a write-after-end error.
    if (this.closing || this.lifecycle.closed || socket.destroyed || socket.writableEnded) {
      return false;
    }
    // Writes of one tick leave in one writev: cork now, uncork after the current tick.
    if (!this.corked) {
      this.corked = true;
      socket.cork();
      process.nextTick(uncork, this);
    }
    const ok = socket.write(bytes);
    if (!ok) this.needDrain = true;
    return ok;
  }

  pauseReading(): boolean {
    // net.Socket#pause stops reading from the kernel: its receive buffer fills and TCP closes
    // the window, which is what slows the broker down.
    if (!this.lifecycle.closed) this.socket.pause();
    return true;
  }

  resumeReading(): void {
    if (!this.lifecycle.closed) this.socket.resume();
  }

  close(): void {
    if (this.closing || this.lifecycle.closed) return;
    this.closing = true;
    this.uncork();
    // end() sends what is buffered, then FIN; 'close' follows when the peer closes its side.
    this.socket.end();
    // The peer's FIN is read like data: a socket paused by inbound flow control would never see
    // it and would wait out the close timeout instead.
    this.socket.resume();
    this.closeTimer = setTimeout(
      () => this.fail(undefined),
      this.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS,
    );
  }

  destroy(error?: unknown): void {
    this.fail(error === undefined ? undefined : toTransportError(error));
  }

  fail(error: TransportError | undefined): void {
    if (this.lifecycle.closed) return;
    this.closing = true;
    this.socket.destroy();
    this.finish(error ? { initiator: 'local', error } : { initiator: 'local' });
  }

  uncork(): void {
    if (!this.corked) return;
    this.corked = false;
    this.socket.uncork();
  }

  drained(): void {
    if (!this.needDrain) return;
    this.needDrain = false;
    this.lifecycle.drain();
  }

  socketClosed(): void {
    if (this.lifecycle.closed) return;
    if (this.closing) this.finish({ initiator: 'local' });
    else if (this.socketError === undefined) this.finish({ initiator: 'peer' });
    else {
      this.finish({
        initiator: 'peer',
        error: new SocketError(`Connection to ${this.info.endpoint} failed`, {
          cause: this.socketError,
        }),
      });
    }
  }

  private finish(event: TransportCloseEvent): void {
    clearTimeout(this.closeTimer);
    this.lifecycle.finish(event);
  }
}
