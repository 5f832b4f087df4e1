import { createServer as createHttpServer, type IncomingMessage } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createTestCertificates } from '@mqttkit/testkit';
import { type ServerOptions, type WebSocket, WebSocketServer } from 'ws';
import { closeServer, listen } from './helpers.js';

export const certs = createTestCertificates();

export interface WsServerHandle {
  readonly port: number;
  readonly url: string;
  readonly wss: WebSocketServer;
  close(): Promise<void>;
}

/**
 * A `ws` server on 127.0.0.1 (HTTPS with the test certificate when `secure`). By default it
 * echoes every message back with the same frame type.
 */
export async function startWsServer(
  options: {
    secure?: boolean;
    server?: ServerOptions;
    onConnection?: (socket: WebSocket, request: IncomingMessage) => void;
  } = {},
): Promise<WsServerHandle> {
  const http = options.secure
    ? createHttpsServer({ key: certs.key, cert: certs.cert })
    : createHttpServer();
  const wss = new WebSocketServer({ server: http, ...options.server });
  wss.on('connection', (socket, request) => {
    if (options.onConnection) options.onConnection(socket, request);
    else socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
  });
  const port = await listen(http);
  return {
    port,
    url: `${options.secure ? 'wss' : 'ws'}://127.0.0.1:${port}`,
    wss,
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await closeServer(http);
    },
  };
}
