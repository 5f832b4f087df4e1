/**
 * Every error this package rejects with or reports is a `TransportError` with a stable `code`.
 * Match on `code`, not `instanceof`: two copies of the package can be loaded at once.
 *
 * Messages name the endpoint as `scheme://host:port` only: never the user info of a URL, so
 * credentials put in a URL cannot leak into logs.
 */
export type TransportErrorCode =
  | 'MQTTKIT_ERR_INVALID_URL'
  | 'MQTTKIT_ERR_UNSUPPORTED_PROTOCOL'
  | 'MQTTKIT_ERR_CONNECT_TIMEOUT'
  | 'MQTTKIT_ERR_ABORTED'
  | 'MQTTKIT_ERR_CONNECT'
  | 'MQTTKIT_ERR_TLS'
  | 'MQTTKIT_ERR_WEBSOCKET_HANDSHAKE'
  | 'MQTTKIT_ERR_SOCKET'
  | 'MQTTKIT_ERR_HANDLER_THREW'
  | 'MQTTKIT_ERR_PROXY';

/** Why a transport failed; `code` tells which failure. */
export class TransportError extends Error {
  readonly code: TransportErrorCode;

  constructor(code: TransportErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransportError';
    this.code = code;
  }

  /**
   * Whether opening the same URL with the same options again may succeed without anything being
   * changed: true for network failures, false for a bad URL or a certificate that fails
   * verification. A reconnect policy reads it to avoid retrying forever.
   */
  get retryable(): boolean {
    return true;
  }
}

/** The URL given to `open` cannot be parsed. The message does not repeat it (it may hold a password). */
export class InvalidUrlError extends TransportError {
  constructor(options?: { cause?: unknown }) {
    super('MQTTKIT_ERR_INVALID_URL', 'Invalid transport URL', options);
    this.name = 'InvalidUrlError';
  }

  override get retryable(): boolean {
    return false;
  }
}

/** An unknown URL scheme, or `tcp`/`tls` asked of the browser build. */
export class UnsupportedProtocolError extends TransportError {
  /** The scheme without its colon, e.g. `mqtt`, `http`. */
  readonly scheme: string;

  constructor(scheme: string, detail?: string) {
    super(
      'MQTTKIT_ERR_UNSUPPORTED_PROTOCOL',
      `Unsupported transport scheme "${scheme}:"${detail ? `: ${detail}` : ''}`,
    );
    this.name = 'UnsupportedProtocolError';
    this.scheme = scheme;
  }

  override get retryable(): boolean {
    return false;
  }
}

/** The connection (TCP connect, TLS handshake or WebSocket upgrade) took longer than `connectTimeoutMs`. */
export class ConnectTimeoutError extends TransportError {
  readonly timeoutMs: number;

  constructor(endpoint: string, timeoutMs: number) {
    super(
      'MQTTKIT_ERR_CONNECT_TIMEOUT',
      `Connecting to ${endpoint} timed out after ${timeoutMs} ms`,
    );
    this.name = 'ConnectTimeoutError';
    this.timeoutMs = timeoutMs;
  }
}

/** The `signal` passed to `open` was aborted. `cause` is the signal's `reason`. */
export class AbortError extends TransportError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('MQTTKIT_ERR_ABORTED', message, options);
    this.name = 'AbortError';
  }
}

/**
 * The connection could not be made: refused, unreachable, DNS failure. `cause` is the socket
 * error; its system code (`ECONNREFUSED`, `ENOTFOUND`...) is also in `systemCode`.
 *
 * Named apart from `@mqttkit/client`'s `ConnectError` (an MQTT connect that ended without a
 * connection), which an application importing both packages would otherwise have to rename.
 */
export class TransportConnectError extends TransportError {
  readonly systemCode: string | undefined;

  constructor(endpoint: string, options?: { cause?: unknown }) {
    const systemCode = systemCodeOf(options?.cause);
    super(
      'MQTTKIT_ERR_CONNECT',
      `Could not connect to ${endpoint}${systemCode ? ` (${systemCode})` : ''}`,
      options,
    );
    // Kept as it was before the class was renamed: logs and code that match on `name` go on
    // working. Match on `code` (`MQTTKIT_ERR_CONNECT`), which never changes.
    this.name = 'ConnectError';
    this.systemCode = systemCode;
  }
}

/**
 * @deprecated Renamed `TransportConnectError` (the same class: `instanceof` holds either way), so
 * it is not mistaken for `@mqttkit/client`'s `ConnectError`. This alias will be removed in a
 * future major version.
 */
export const ConnectError = TransportConnectError;
/** @deprecated Renamed `TransportConnectError`. */
export type ConnectError = TransportConnectError;

/** Which TLS check failed. */
export type TlsCheck =
  /** The server's certificate signs itself and is not in `ca`. */
  | 'self-signed'
  /** The certificate chain does not lead to a trusted CA (`ca`, or the system store). */
  | 'unknown-ca'
  /** The certificate is valid but not for the host name (or `servername`) we connected to. */
  | 'hostname-mismatch'
  | 'expired'
  | 'not-yet-valid'
  /** Anything else that broke the handshake (protocol alert, peer closed mid-handshake...). */
  | 'handshake';

const TLS_CHECK_TEXT: Record<TlsCheck, string> = {
  'self-signed': 'the server certificate is self-signed and not trusted',
  'unknown-ca': 'the server certificate is not signed by a trusted CA',
  'hostname-mismatch': 'the server certificate does not match the host name',
  expired: 'the server certificate has expired',
  'not-yet-valid': 'the server certificate is not yet valid',
  handshake: 'the TLS handshake failed',
};

/** TLS verification or handshake failed. `check` says which check; `cause` is the TLS error. */
export class TlsError extends TransportError {
  readonly check: TlsCheck;
  readonly systemCode: string | undefined;

  constructor(endpoint: string, check: TlsCheck, options?: { cause?: unknown }) {
    const systemCode = systemCodeOf(options?.cause);
    super(
      'MQTTKIT_ERR_TLS',
      `TLS error connecting to ${endpoint}: ${TLS_CHECK_TEXT[check]}${systemCode ? ` (${systemCode})` : ''}`,
      options,
    );
    this.name = 'TlsError';
    this.check = check;
    this.systemCode = systemCode;
  }

  /** A handshake cut short may pass next time; a certificate that fails verification will not. */
  override get retryable(): boolean {
    return this.check === 'handshake';
  }
}

/**
 * The server did not accept the WebSocket upgrade: `status` is the HTTP status it answered
 * (404, 401...), or 101 when it upgraded without the `mqtt` subprotocol or with a bad accept key.
 */
export class WebSocketHandshakeError extends TransportError {
  readonly status: number | undefined;

  constructor(
    endpoint: string,
    status: number | undefined,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(
      'MQTTKIT_ERR_WEBSOCKET_HANDSHAKE',
      `WebSocket handshake with ${endpoint} failed: ${detail}`,
      options,
    );
    this.name = 'WebSocketHandshakeError';
    this.status = status;
  }
}

/**
 * The open connection failed (reset, broken pipe, abnormal WebSocket close, a text frame).
 * Reported in `onClose`, never thrown. `wsCloseCode` is set for WebSocket closes.
 */
export class SocketError extends TransportError {
  readonly systemCode: string | undefined;
  readonly wsCloseCode: number | undefined;

  constructor(message: string, options?: { cause?: unknown; wsCloseCode?: number }) {
    super('MQTTKIT_ERR_SOCKET', message, options);
    this.name = 'SocketError';
    this.systemCode = systemCodeOf(options?.cause);
    this.wsCloseCode = options?.wsCloseCode;
  }
}

/** What failed at the proxy. */
export type ProxyFailure =
  /** The proxy itself could not be reached (refused, unreachable, reset). */
  | 'unreachable'
  /** The proxy wants credentials, or refused the ones given (HTTP 407, SOCKS5 auth failure). */
  | 'auth'
  /** The proxy answered, but would not open the tunnel (an HTTP status, a SOCKS5 reply code). */
  | 'refused'
  /** The proxy is not a proxy of the kind named (a bad answer to the handshake). */
  | 'protocol';

/**
 * The proxy given in `proxy` did not open the tunnel. The message names the proxy as
 * `scheme://host:port`, never its credentials; `cause` carries no credentials either.
 */
export class ProxyError extends TransportError {
  readonly failure: ProxyFailure;
  /** The proxy as `scheme://host:port`. */
  readonly proxy: string;
  /** The HTTP status of a refused `CONNECT`, when the proxy is an HTTP proxy. */
  readonly status: number | undefined;
  readonly systemCode: string | undefined;

  constructor(
    endpoint: string,
    proxy: string,
    failure: ProxyFailure,
    detail: string,
    options?: { cause?: unknown; status?: number },
  ) {
    super(
      'MQTTKIT_ERR_PROXY',
      `Proxy ${proxy} could not connect to ${endpoint}: ${detail}`,
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'ProxyError';
    this.failure = failure;
    this.proxy = proxy;
    this.status = options?.status;
    this.systemCode = systemCodeOf(options?.cause);
  }

  /** Credentials the proxy refuses will be refused again. */
  override get retryable(): boolean {
    return this.failure !== 'auth';
  }
}

/** `onData` or `onDrain` threw: the transport is destroyed with this error, `cause` is what was thrown. */
export class HandlerError extends TransportError {
  constructor(handler: 'onData' | 'onDrain', options: { cause: unknown }) {
    super('MQTTKIT_ERR_HANDLER_THREW', `The ${handler} handler threw`, options);
    this.name = 'HandlerError';
  }
}

function systemCodeOf(cause: unknown): string | undefined {
  if (typeof cause === 'object' && cause !== null && 'code' in cause) {
    const { code } = cause;
    if (typeof code === 'string') return code;
  }
  return undefined;
}
