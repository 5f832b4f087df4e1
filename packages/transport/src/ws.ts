import type { ClientRequestArgs, IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { type ConnectionOptions, type TLSSocket, connect as tlsConnect } from 'node:tls';
import WebSocket from 'ws';
import { codeOf, isTlsLayerError, tlsVerifyError } from './classify.js';
import { type ConnectAttempt, runConnectAttempt } from './connect-phase.js';
import {
  TlsError,
  TransportConnectError,
  type TransportError,
  WebSocketHandshakeError,
} from './errors.js';
import { overRoute } from './route.js';
import { nodeTlsOptions } from './tls.js';
import type { OpenOptions, Transport } from './types.js';
import type { Endpoint } from './url.js';
import { createWebSocketTransport } from './ws-link.js';

const noop = () => {};

/**
 * WebSocket in Node (`ws:`, `wss:`) with the `ws` package: headers, TLS options, handshake
 * status. Over a Unix socket or a proxy tunnel, the upgrade (and TLS for `wss:`) runs on the
 * stream that route opened.
 */
export function openWs(endpoint: Endpoint, options: OpenOptions): Promise<Transport> {
  return runConnectAttempt<Transport>(
    {
      signal: options.signal,
      connectTimeoutMs: options.connectTimeoutMs,
      endpoint: endpoint.display,
    },
    (attempt) =>
      overRoute(endpoint, options, attempt.fail, (raw) => upgrade(endpoint, options, attempt, raw)),
  );
}

/** The WebSocket upgrade, on a new connection or on `raw` (already connected). */
function upgrade(
  endpoint: Endpoint,
  options: OpenOptions,
  attempt: ConnectAttempt<Transport>,
  raw: Socket | undefined,
): () => void {
  const protocols = [...(options.ws?.protocols ?? ['mqtt'])];
  const host = endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host;
  const target = `${endpoint.kind}://${host}:${endpoint.port}${options.ws?.path ?? endpoint.path}`;
  const secure = endpoint.kind === 'wss';
  const {
    host: _host,
    port: _port,
    ...tlsOptions
  } = secure ? nodeTlsOptions(endpoint, options.tls) : {};
  // `ws` asks for its socket with the request's options (the TLS ones included for wss:).
  const createConnection =
    raw === undefined
      ? undefined
      : secure
        ? (opts: ConnectionOptions) => tlsConnect({ ...opts, socket: raw })
        : () => raw;
  const socket = new WebSocket(target, protocols, {
    ...tlsOptions,
    ...(createConnection === undefined
      ? {}
      : { createConnection: createConnection as ClientRequestArgs['createConnection'] }),
    headers: { ...options.ws?.headers },
    // Compression is off: MQTT payloads are often already compressed or tiny, and
    // permessage-deflate has cost memory and CPU in servers and clients alike.
    perMessageDeflate: false,
    followRedirects: false,
  });
  let alpnProtocol: string | undefined;

  const onUnexpectedResponse = (_req: unknown, res: IncomingMessage) => {
    res.resume();
    const status = res.statusCode;
    attempt.fail(
      new WebSocketHandshakeError(endpoint.display, status, `the server answered HTTP ${status}`),
    );
  };
  const onUpgrade = (res: IncomingMessage) => {
    alpnProtocol = (res.socket as TLSSocket).alpnProtocol || undefined;
  };
  const onError = (error: Error) => attempt.fail(classifyWsFailure(endpoint.display, error));
  socket.on('unexpected-response', onUnexpectedResponse);
  socket.on('upgrade', onUpgrade);
  socket.on('error', onError);
  socket.once('open', () => {
    socket.off('unexpected-response', onUnexpectedResponse);
    socket.off('upgrade', onUpgrade);
    socket.off('error', onError);
    const { transport, events } = createWebSocketTransport({
      info: {
        kind: endpoint.kind,
        endpoint: endpoint.display,
        alpnProtocol: secure ? alpnProtocol : undefined,
        wsProtocol: socket.protocol,
      },
      driver: {
        bufferedAmount: () => socket.bufferedAmount,
        send: (bytes) => socket.send(bytes),
        close: () => socket.close(1000),
        terminate: () => socket.terminate(),
        pause: () => socket.pause(),
        resume: () => socket.resume(),
      },
      handlers: options,
      signal: options.signal,
      closeTimeoutMs: options.closeTimeoutMs,
    });
    socket.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
      if (!isBinary) events.text();
      else events.binary(toBytes(data));
    });
    socket.on('error', (error) => events.error(error));
    socket.on('close', (code: number, reason: Buffer) => events.closed(code, reason.toString()));
    if (!attempt.succeed(transport)) transport.destroy();
  });
  return () => {
    socket.off('error', onError);
    socket.on('error', noop);
    socket.terminate();
  };
}

function classifyWsFailure(endpoint: string, error: unknown): TransportError {
  const verify = tlsVerifyError(endpoint, error);
  if (verify) return verify;
  if (isTlsLayerError(error)) return new TlsError(endpoint, 'handshake', { cause: error });
  // System errors (ECONNREFUSED, ENOTFOUND, ECONNRESET) carry a code; the `ws` handshake checks
  // (missing subprotocol, bad Sec-WebSocket-Accept) are plain errors after an HTTP 101.
  if (codeOf(error) !== undefined) return new TransportConnectError(endpoint, { cause: error });
  const detail = error instanceof Error ? error.message : 'the upgrade was refused';
  return new WebSocketHandshakeError(endpoint, 101, detail, { cause: error });
}

function toBytes(data: WebSocket.RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}
