/**
 * Real proxies on 127.0.0.1 for the proxy tests: an HTTP proxy that tunnels with CONNECT (the
 * `proxy` package) and a SOCKS5 proxy (`@pondwader/socks5-server`), each optionally asking for
 * credentials, or refusing every tunnel.
 */
import { createServer as createHttpServer, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  createServer as createSocksServer,
  defaultConnectionHandler,
} from '@pondwader/socks5-server';
import { createProxy } from 'proxy';
import { freePort } from './mosquitto.js';

export interface ProxyCredentials {
  readonly username: string;
  readonly password: string;
}

export interface StartProxyOptions {
  /** Ask for these (HTTP 407 / SOCKS5 user-password, RFC 1929) and refuse others. */
  credentials?: ProxyCredentials;
  /** Refuse every tunnel after the handshake (HTTP 403 / SOCKS5 "connection not allowed"). */
  refuse?: boolean;
}

export interface ProxyHandle {
  /** `http://127.0.0.1:port` or `socks5://127.0.0.1:port`, without credentials. */
  readonly url: string;
  readonly port: number;
  /** `host:port` of every tunnel asked for (granted or not), in order. */
  readonly requests: readonly string[];
  /** Tunnels granted. */
  readonly granted: number;
  close(): Promise<void>;
}

/** An HTTP proxy: `proxy` answers CONNECT; a refusing one is node:http answering 403. */
export async function startHttpProxy(options: StartProxyOptions = {}): Promise<ProxyHandle> {
  const requests: string[] = [];
  let granted = 0;
  const server = createHttpServer();
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  if (options.refuse) {
    server.on('connect', (req: IncomingMessage, socket: Socket) => {
      requests.push(req.url ?? '');
      socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
    });
  } else {
    // Registered before `proxy`'s own listener, so it sees every request first.
    server.on('connect', (req: IncomingMessage) => {
      requests.push(req.url ?? '');
    });
    const proxy = createProxy(server);
    const { credentials } = options;
    proxy.authenticate = (req) => {
      const ok =
        credentials === undefined ||
        req.headers['proxy-authorization'] ===
          `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
      if (ok) granted++;
      return ok;
    };
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return proxyHandle(`http://127.0.0.1:${port}`, port, requests, () => granted, sockets, server);
}

/** A SOCKS5 proxy on 127.0.0.1. */
export async function startSocksProxy(options: StartProxyOptions = {}): Promise<ProxyHandle> {
  const requests: string[] = [];
  let granted = 0;
  const sockets = new Set<{ destroy(): void }>();
  const server = createSocksServer(
    options.credentials === undefined ? {} : { auth: { ...options.credentials } },
  );
  server.setRulesetValidator((connection) => {
    requests.push(`${connection.destAddress}:${connection.destPort}`);
    return options.refuse !== true;
  });
  server.setConnectionHandler((connection, sendStatus) => {
    granted++;
    sockets.add(connection.socket);
    const target = defaultConnectionHandler(connection, sendStatus);
    if (target) sockets.add(target);
  });
  // The package does not report the port it listens on: take a free one.
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  return proxyHandle(`socks5://127.0.0.1:${port}`, port, requests, () => granted, sockets, server);
}

/** What both proxies hand back: closing ends their open tunnels first. */
function proxyHandle(
  url: string,
  port: number,
  requests: readonly string[],
  granted: () => number,
  sockets: ReadonlySet<{ destroy(): void }>,
  server: { close(callback: () => void): unknown },
): ProxyHandle {
  return {
    url,
    port,
    requests,
    get granted() {
      return granted();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
