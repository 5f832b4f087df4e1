import { runConnectAttempt } from './connect-phase.js';
import {
  TransportConnectError,
  UnsupportedProtocolError,
  WebSocketHandshakeError,
} from './errors.js';
import type { OpenOptions, Transport } from './types.js';
import { type Endpoint, parseEndpoint } from './url.js';
import { createWebSocketTransport, type WebSocketEvents } from './ws-link.js';

/** The parts of the browser `WebSocket` API used here (the `ws` package implements it too). */
interface BrowserWebSocket {
  binaryType: string;
  readonly bufferedAmount: number;
  readonly protocol: string;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { readonly data: unknown }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onclose: ((event: { readonly code: number; readonly reason: string }) => void) | null;
}

type BrowserWebSocketConstructor = new (url: string, protocols?: string[]) => BrowserWebSocket;

const noop = () => {};

/**
 * Opens a WebSocket transport with the global `WebSocket` (browsers, Deno, Node 22+).
 * Only `ws:` and `wss:` URLs; `ws.headers` and `tls` cannot be honoured by that API and are ignored.
 */
export function open(
  url: string | { href: string },
  options: OpenOptions = {},
): Promise<Transport> {
  let endpoint: Endpoint;
  try {
    endpoint = parseEndpoint(url);
  } catch (error) {
    return Promise.reject(error);
  }
  if (endpoint.kind === 'tcp' || endpoint.kind === 'tls') {
    return Promise.reject(
      new UnsupportedProtocolError(endpoint.kind, 'browsers open only ws: and wss:'),
    );
  }
  if (options.proxy !== undefined || options.socketPath !== undefined) {
    // A page cannot choose its proxy or open a Unix socket; the browser's own settings apply.
    return Promise.reject(
      new UnsupportedProtocolError(
        endpoint.kind,
        'proxy and socketPath are Node only (a browser uses its own proxy settings)',
      ),
    );
  }
  const WebSocketClass = (globalThis as { WebSocket?: BrowserWebSocketConstructor }).WebSocket;
  if (!WebSocketClass) {
    return Promise.reject(
      new UnsupportedProtocolError(endpoint.kind, 'no global WebSocket in this runtime'),
    );
  }
  return openBrowserWebSocket(WebSocketClass, endpoint, options);
}

export function openBrowserWebSocket(
  WebSocketClass: BrowserWebSocketConstructor,
  endpoint: Endpoint,
  options: OpenOptions,
): Promise<Transport> {
  const protocols = [...(options.ws?.protocols ?? ['mqtt'])];
  const host = endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host;
  const target = `${endpoint.kind}://${host}:${endpoint.port}${options.ws?.path ?? endpoint.path}`;

  return runConnectAttempt<Transport>(
    {
      signal: options.signal,
      connectTimeoutMs: options.connectTimeoutMs,
      endpoint: endpoint.display,
    },
    (attempt) => {
      const socket = new WebSocketClass(target, protocols);
      socket.binaryType = 'arraybuffer';
      let failure: unknown;
      const detach = () => {
        socket.onopen = null;
        socket.onmessage = null;
        socket.onclose = null;
        // Keep a listener: some implementations (`ws`) throw on an unheard error event.
        socket.onerror = noop;
      };

      socket.onerror = (event) => {
        failure = event;
      };
      // Browsers do not say why a WebSocket failed to open (no status, no socket error).
      socket.onclose = () =>
        attempt.fail(new TransportConnectError(endpoint.display, { cause: failure }));
      socket.onopen = () => {
        if (protocols.length > 0 && socket.protocol === '') {
          attempt.fail(
            new WebSocketHandshakeError(
              endpoint.display,
              101,
              'the server selected no subprotocol',
            ),
          );
          return;
        }
        const { transport, events } = createWebSocketTransport({
          info: {
            kind: endpoint.kind,
            endpoint: endpoint.display,
            alpnProtocol: undefined,
            wsProtocol: socket.protocol,
          },
          driver: {
            bufferedAmount: () => socket.bufferedAmount,
            send: (bytes) => socket.send(bytes),
            close: () => socket.close(1000),
            terminate: () => {
              detach();
              socket.close();
            },
          },
          handlers: options,
          signal: options.signal,
          closeTimeoutMs: options.closeTimeoutMs,
        });
        wire(socket, events);
        if (!attempt.succeed(transport)) transport.destroy();
      };
      return () => {
        detach();
        try {
          socket.close();
        } catch {
          // Closing a socket that never opened may throw in some runtimes; it is gone either way.
        }
      };
    },
  );
}

function wire(socket: BrowserWebSocket, events: WebSocketEvents): void {
  socket.onmessage = (event) => {
    const { data } = event;
    if (data instanceof ArrayBuffer) events.binary(new Uint8Array(data));
    else if (ArrayBuffer.isView(data))
      events.binary(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    else events.text();
  };
  socket.onerror = (event) => events.error(event);
  socket.onclose = (event) => events.closed(event.code, event.reason);
}
