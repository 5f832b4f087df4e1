/**
 * One live link: a transport, the decoder reading it, and the encoder writing to it. It reports
 * exactly one `onClose` per `open`, whether the open failed, we closed it, or the peer did, so the
 * state machine's `transportClosed` contract holds. Writes made in one tick leave as one socket
 * write (the transport corks until the next tick).
 */
import {
  type CodecError,
  createDecoder,
  type Decoder,
  encode,
  encodePublishHeader,
  isPacketStart,
  type Packet,
} from '@mqttkit/codec/client';
import type {
  OpenOptions,
  ProxyOptions,
  TlsOptions,
  TransportCloseEvent,
  WebSocketOptions,
} from '@mqttkit/transport';
import { open, type Transport } from '@mqttkit/transport';
import { AbortLatch } from './abort-latch.js';
import type { AbortSignalLike } from './globals.js';

interface HostAbortController {
  readonly signal: {
    readonly aborted: boolean;
    addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
    removeEventListener(type: 'abort', listener: () => void): void;
  };
  abort(reason?: unknown): void;
}
const AbortControllerCtor = (
  globalThis as unknown as { AbortController: new () => HostAbortController }
).AbortController;

/**
 * From this payload size a PUBLISH is written as header + payload (no copy). Below it, copying a
 * few hundred bytes costs less than a second stream write and a second small buffer.
 */
const SEPARATE_PAYLOAD_BYTES = 1024;

export interface ConnectionOptions {
  url: string;
  protocolVersion: 4 | 5;
  maxPacketSize: number | undefined;
  connectTimeoutMs: number;
  tls: TlsOptions | undefined;
  ws: WebSocketOptions | undefined;
  proxy: string | ProxyOptions | undefined;
  socketPath: string | undefined;
}

export interface ConnectionHandlers {
  onOpen(): void;
  onPacket(packet: Packet): void;
  /** The broker's bytes could not be decoded; the decoder is finished. */
  onDecodeError(error: CodecError): void;
  /**
   * The peer's first bytes cannot begin an MQTT packet: it is not an MQTT broker. Nothing more
   * is read from it.
   */
  onForeignPeer(firstBytes: Uint8Array): void;
  /** The transport's buffer emptied after a write returned `full`. */
  onDrain(): void;
  /** Exactly once per `open`. `error` is set when the link failed. */
  onClose(error: unknown): void;
}

export class Connection {
  #transport: Transport | undefined;
  /** Aborts the transport while it opens (and destroys it after, as `open` documents). */
  readonly #abort = new AbortLatch();
  readonly #decoder: Decoder;
  #closeRequested: 'graceful' | 'force' | undefined;
  #closed = false;
  /** No byte came yet (the first one says whether the peer speaks MQTT), or reading stopped. */
  #reading: 'first' | 'yes' | 'no' = 'first';
  readonly #options: ConnectionOptions;
  readonly #handlers: ConnectionHandlers;

  constructor(options: ConnectionOptions, handlers: ConnectionHandlers) {
    this.#options = options;
    this.#handlers = handlers;
    this.#decoder = createDecoder({
      protocolVersion: options.protocolVersion,
      ...(options.maxPacketSize === undefined ? {} : { maxPacketSize: options.maxPacketSize }),
      onPacket: (packet) => this.#handlers.onPacket(packet),
      onError: (error) => this.#handlers.onDecodeError(error),
    });
  }

  /**
   * Opens the link. `prepare` (the client's `beforeConnect` step) runs first and may return the
   * URL to use; while it is pending, `close()` ends the attempt at once (one `onClose`, no error),
   * whether or not the hook honours its signal. A rejection of `prepare` is the attempt's error.
   */
  open(prepare?: (signal: AbortSignalLike) => Promise<string | undefined>): void {
    if (!prepare) {
      this.#start(this.#options.url);
      return;
    }
    // The hook gets a host AbortSignal (it may hand it to `fetch`), made for this step only.
    const hookController = new AbortControllerCtor();
    const onAbort = (): void => {
      this.#reportClose(undefined);
      hookController.abort();
    };
    this.#abort.addEventListener('abort', onAbort);
    Promise.resolve()
      .then(() => prepare(hookController.signal))
      .then(
        (url) => {
          this.#abort.removeEventListener('abort', onAbort);
          if (this.#closed || this.#closeRequested !== undefined) return;
          this.#start(url ?? this.#options.url);
        },
        (error: unknown) => {
          this.#abort.removeEventListener('abort', onAbort);
          this.#reportClose(error);
        },
      );
  }

  #start(url: string): void {
    open(url, new Connection.#TransportEvents(this)).then(
      (transport) => {
        this.#transport = transport;
        // The peer may have closed it already (its onClose ran first): nothing to open then.
        if (this.#closed) return;
        if (this.#closeRequested === 'force') transport.destroy();
        else if (this.#closeRequested === 'graceful') transport.close();
        else this.#handlers.onOpen();
      },
      (error: unknown) => this.#reportClose(error),
    );
  }

  /**
   * Encodes and writes. `dropped`: the transport is not open. `full`: written, but the transport
   * is above its high-water mark until `onDrain`.
   */
  write(packet: Packet): 'ok' | 'full' | 'dropped' {
    const transport = this.#transport;
    if (!transport || this.#closed || this.#closeRequested === 'force') return 'dropped';
    const protocolVersion = this.#options.protocolVersion;
    if (packet.cmd === 'publish' && packet.payload.length >= SEPARATE_PAYLOAD_BYTES) {
      // Header and payload as two writes in this tick: the transport corks them into one socket
      // write (one writev), so a large payload is never copied into a per-packet buffer.
      transport.write(encodePublishHeader(packet, { protocolVersion }));
      return transport.write(packet.payload) ? 'ok' : 'full';
    }
    const below = transport.write(encode(packet, { protocolVersion }));
    return below ? 'ok' : 'full';
  }

  get isOpen(): boolean {
    return this.#transport !== undefined && !this.#closed;
  }

  /**
   * Stops reading the socket (inbound flow control): the broker is slowed by TCP's window.
   * `false` when the transport cannot (a browser WebSocket) or the link is not open.
   */
  pauseReading(): boolean {
    return this.isOpen && this.#transport?.pauseReading() === true;
  }

  resumeReading(): void {
    if (this.isOpen) this.#transport?.resumeReading();
  }

  /** Graceful: flush what was written, then end. `force`: destroy at once (or abort the open). */
  close(force: boolean): void {
    if (this.#closed) return;
    if (force) this.#closeRequested = 'force';
    else if (this.#closeRequested === undefined) this.#closeRequested = 'graceful';
    const transport = this.#transport;
    if (!transport) {
      // Still opening: abort it; `open` rejects and we report the close from there.
      this.#abort.abort();
      return;
    }
    if (force) transport.destroy();
    else transport.close();
  }

  /**
   * Ends the link at once with `error` as the reason the client reports (a CONNECT we could not
   * encode, say), instead of the silent close a `close(true)` of our own makes.
   */
  fail(error: unknown): void {
    if (this.#closed) return;
    this.#abort.abort();
    this.#transport?.destroy();
    this.#reportClose(error);
  }

  /**
   * What `open` gets: the options, and the link's callbacks as prototype methods (the
   * transport keeps this object for the link's life; closures would cost each idle client).
   */
  static readonly #TransportEvents = class TransportEvents implements OpenOptions {
    readonly signal: AbortLatch;
    readonly connectTimeoutMs: number;
    readonly tls?: TlsOptions;
    readonly ws?: WebSocketOptions;
    readonly proxy?: string | ProxyOptions;
    readonly socketPath?: string;
    readonly #connection: Connection;

    constructor(connection: Connection) {
      const { connectTimeoutMs, tls, ws, proxy, socketPath } = connection.#options;
      this.#connection = connection;
      this.signal = connection.#abort;
      this.connectTimeoutMs = connectTimeoutMs;
      if (tls) this.tls = tls;
      if (ws) this.ws = ws;
      if (proxy !== undefined) this.proxy = proxy;
      if (socketPath !== undefined) this.socketPath = socketPath;
    }

    onData(chunk: Uint8Array): void {
      const connection = this.#connection;
      if (connection.#closed || connection.#reading === 'no' || chunk.length === 0) return;
      if (connection.#reading === 'first') {
        if (!isPacketStart(chunk[0] as number, connection.#options.protocolVersion)) {
          connection.#reading = 'no';
          connection.#handlers.onForeignPeer(chunk);
          return;
        }
        connection.#reading = 'yes';
      }
      connection.#decoder.push(chunk);
    }

    onDrain(): void {
      this.#connection.#handlers.onDrain();
    }

    onClose(event: TransportCloseEvent): void {
      this.#connection.#reportClose(event.error);
    }
  };

  #reportClose(error: unknown): void {
    if (this.#closed) return;
    this.#closed = true;
    // After our own close request the error (an AbortError, say) is ours, not the link's.
    this.#handlers.onClose(this.#closeRequested === undefined ? error : undefined);
  }
}
