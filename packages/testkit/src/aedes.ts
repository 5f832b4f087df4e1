import { once } from 'node:events';
import { createServer as createHttpServer } from 'node:http';
import { type AddressInfo, createServer, type Server } from 'node:net';
import { Aedes, type AedesOptions } from 'aedes';
import { createWebSocketStream, WebSocketServer } from 'ws';

export interface AedesHandle {
  readonly broker: Aedes;
  /** TCP listener on 127.0.0.1. */
  readonly port: number;
  readonly url: string;
  /** WebSocket listener (path `/mqtt`), when `ws: true`. */
  readonly wsPort: number | undefined;
  readonly wsUrl: string | undefined;
  close(): Promise<void>;
}

export interface StartAedesOptions {
  ws?: boolean;
  broker?: Partial<AedesOptions>;
}

/** An in-process aedes broker on loopback ports chosen by the OS (MQTT 3.1.1 only). */
export async function startAedes(options: StartAedesOptions = {}): Promise<AedesHandle> {
  const broker = await Aedes.createBroker(options.broker);
  const tcp = createServer(broker.handle);
  tcp.listen(0, '127.0.0.1');
  await once(tcp, 'listening');
  const port = (tcp.address() as AddressInfo).port;

  let http: ReturnType<typeof createHttpServer> | undefined;
  let wss: WebSocketServer | undefined;
  let wsPort: number | undefined;
  if (options.ws) {
    http = createHttpServer();
    wss = new WebSocketServer({ server: http, path: '/mqtt' });
    wss.on('connection', (socket, req) => {
      broker.handle(createWebSocketStream(socket), req);
    });
    http.listen(0, '127.0.0.1');
    await once(http, 'listening');
    wsPort = (http.address() as AddressInfo).port;
  }

  return {
    broker,
    port,
    url: `mqtt://127.0.0.1:${port}`,
    wsPort,
    wsUrl: wsPort === undefined ? undefined : `ws://127.0.0.1:${wsPort}/mqtt`,
    async close() {
      // Closing the broker first ends every client connection, so the listeners can close.
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      for (const client of wss?.clients ?? []) client.terminate();
      await Promise.all([closeServer(tcp), http ? closeServer(http) : undefined]);
    },
  };
}

async function closeServer(server: Server): Promise<void> {
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
