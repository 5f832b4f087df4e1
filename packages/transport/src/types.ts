import type { TransportError } from './errors.js';

/** The subset of `AbortSignal` this package uses (so the browser build needs no DOM or Node types). */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
  /** Calls `listener` when the signal aborts. */
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  /** Removes a listener added by `addEventListener`. */
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** PEM text or DER/PEM bytes. */
export type TlsMaterial = string | Uint8Array;

/** TLS options of `mqtts:` and `wss:` connections. */
export interface TlsOptions {
  /** CAs to trust instead of the system store. */
  ca?: TlsMaterial | readonly TlsMaterial[];
  /** Client certificate (mutual TLS). */
  cert?: TlsMaterial | readonly TlsMaterial[];
  /** Client private key (mutual TLS). */
  key?: TlsMaterial | readonly TlsMaterial[];
  passphrase?: string;
  /** SNI and the name the certificate is checked against. Defaults to the URL host, except IP literals. */
  servername?: string;
  /** ALPN protocols offered, e.g. `['mqtt']` (AWS IoT on port 443 wants `x-amzn-mqtt-ca`). */
  alpnProtocols?: readonly string[];
  /**
   * Accept any certificate: no chain, no host name check. Anyone on the path can then read and
   * change the traffic, credentials included. Use `ca` to trust a private CA instead.
   */
  insecureSkipVerify?: boolean;
}

/** WebSocket options of `ws:` and `wss:` connections. */
export interface WebSocketOptions {
  /** Request path; overrides the URL's path (and query). */
  path?: string;
  /** Extra HTTP headers on the upgrade request (Node only: browsers cannot set them). */
  headers?: Readonly<Record<string, string>>;
  /** Subprotocols offered. Default `['mqtt']` (MQTT 3.1.1 section 6, MQTT 5 section 6). */
  protocols?: readonly string[];
}

/** What `onClose` is told. */
export interface TransportCloseEvent {
  /** `local`: `close()`, `destroy()`, the signal, or a throwing handler. `peer`: everything else. */
  readonly initiator: 'local' | 'peer';
  /** Set when the transport ended because something failed. */
  readonly error?: TransportError;
}

/** Called as methods of the object given to `open` (so it may be a class instance). */
export interface TransportHandlers {
  /** Bytes from the peer. Chunks have no relation to MQTT packet boundaries. */
  onData?(chunk: Uint8Array): void;
  /** The write buffer emptied after `write` returned `false`. */
  onDrain?(): void;
  /** Called exactly once per opened transport; no handler is called after it. */
  onClose?(event: TransportCloseEvent): void;
}

/**
 * A proxy to tunnel through (Node only): an HTTP proxy that accepts `CONNECT`, or a SOCKS5
 * proxy. The URL is `http://host:port`, `socks5://host:port` (the broker's name is resolved
 * here) or `socks5h://host:port` (the proxy resolves it); `socks://` means `socks5h://`.
 * Credentials go in the URL's user info (`%`-escaped) or in `username`/`password`; they are sent
 * to the proxy only (Basic `Proxy-Authorization`, or SOCKS5 user/password, RFC 1929) and never
 * appear in an error message.
 */
export interface ProxyOptions {
  /** `http://`, `socks5://`, `socks5h://` or `socks://`, with an optional `user:password@`. */
  url: string;
  /** Proxy user name (overrides the URL's). */
  username?: string;
  /** Proxy password (overrides the URL's). */
  password?: string;
}

export interface OpenOptions extends TransportHandlers {
  /** Aborting rejects a pending `open` with `AbortError`, and destroys an open transport with it. */
  signal?: AbortSignalLike;
  /** Time allowed for TCP connect + TLS handshake + WebSocket upgrade. Default 30 000; `Infinity` disables. */
  connectTimeoutMs?: number;
  /** After `close()`, how long to wait for the peer before destroying. Default 5 000. */
  closeTimeoutMs?: number;
  tls?: TlsOptions;
  ws?: WebSocketOptions;
  /**
   * Reach the broker through this proxy (Node only; a browser uses its own proxy settings and
   * rejects the option). TLS (`mqtts:`, `wss:`) runs end to end inside the tunnel, verified as
   * without a proxy. A URL string is the same as `{ url }`.
   */
  proxy?: string | ProxyOptions;
  /**
   * Connect to this Unix domain socket instead of the URL's host and port (Node only). The URL
   * still chooses the protocol (`mqtt:`, `mqtts:`, `ws:`, `wss:`), and its host is the TLS
   * server name and the WebSocket `Host` header. Not with `proxy`.
   */
  socketPath?: string;
}

/** The kind of connection. */
export type TransportKind = 'tcp' | 'tls' | 'ws' | 'wss';

/** What a transport is connected to. */
export interface TransportInfo {
  readonly kind: TransportKind;
  /** `scheme://host:port[/path]`, without user info. */
  readonly endpoint: string;
  /** The ALPN protocol the server selected (tls, and wss in Node). */
  readonly alpnProtocol: string | undefined;
  /** The WebSocket subprotocol the server selected (ws, wss). */
  readonly wsProtocol: string | undefined;
}

/** An open connection to a broker: bytes in, bytes out. */
export interface Transport {
  readonly info: TransportInfo;
  /** `true` once `onClose` has fired. */
  readonly closed: boolean;
  /**
   * Queue bytes. Writes made in one tick leave as one socket write (or one WebSocket frame).
   * Returns `false` when the buffer is above its high-water mark: wait for `onDrain`. After
   * `close()`/`destroy()` or `onClose`, writes are dropped silently and return `false`.
   */
  write(bytes: Uint8Array): boolean;
  /**
   * Stop reading from the peer, so that its sending is slowed by the network's own flow control
   * (TCP's receive window) instead of by buffering here. `onData` may still be called with what
   * was already read. Returns `false` when this transport cannot stop reading: a browser
   * `WebSocket` has no way to (its messages keep coming). Idempotent.
   */
  pauseReading(): boolean;
  /** Read again after `pauseReading()`. Idempotent. */
  resumeReading(): void;
  /** Graceful: flush what was written, then end. Idempotent. */
  close(): void;
  /** Immediate: drop unsent bytes. `error` (wrapped in `SocketError` unless a `TransportError`) goes to `onClose`. Idempotent. */
  destroy(error?: unknown): void;
}

/** Default of `connectTimeoutMs`. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 30_000;
/** Default of `closeTimeoutMs`. */
export const DEFAULT_CLOSE_TIMEOUT_MS = 5_000;
