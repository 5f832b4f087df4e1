import { once } from 'node:events';
import { createServer as createHttpServer } from 'node:http';
import { type AddressInfo, createServer } from 'node:net';
import { Aedes } from 'aedes';
import { createWebSocketStream, WebSocketServer } from 'ws';

export interface EmbeddedBroker {
  readonly tcpPort: number;
  readonly tcpUrl: string;
  readonly wsUrl: string;
  close(): Promise<void>;
}

/**
 * An aedes broker in this process on loopback, over TCP and WebSocket (path `/mqtt`). Ports are
 * chosen by the OS unless given: `--stay` puts the WebSocket on a known port for the dashboard.
 */
export async function startEmbeddedBroker(
  options: { wsPort?: number } = {},
): Promise<EmbeddedBroker> {
  const broker = await Aedes.createBroker();
  const tcp = createServer(broker.handle).listen(0, '127.0.0.1');
  const http = createHttpServer().listen(options.wsPort ?? 0, '127.0.0.1');
  const wss = new WebSocketServer({ server: http, path: '/mqtt' });
  wss.on('connection', (socket, req) => broker.handle(createWebSocketStream(socket), req));
  await Promise.all([once(tcp, 'listening'), once(http, 'listening')]);
  const tcpPort = (tcp.address() as AddressInfo).port;
  const wsPort = (http.address() as AddressInfo).port;
  return {
    tcpPort,
    tcpUrl: `mqtt://127.0.0.1:${tcpPort}`,
    wsUrl: `ws://127.0.0.1:${wsPort}/mqtt`,
    async close() {
      // Closing the broker first ends every client connection, so the listeners can close.
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      for (const client of wss.clients) client.terminate();
      await Promise.all([
        new Promise((resolve) => tcp.close(resolve)),
        new Promise((resolve) => http.close(resolve)),
      ]);
    },
  };
}
