import { lookup } from 'node:dns';
import { connect, isIP, type Socket } from 'node:net';
import { ProxyError } from './errors.js';
import { proxyConnectFailure, type TunnelCallbacks, type TunnelTarget } from './http-connect.js';
import type { ProxyTarget } from './proxy-url.js';

const noop = () => {};
/** The `socks` client's own handshake timer; ours (`connectTimeoutMs`) is the one that counts. */
const SOCKS_TIMER_MS = 2 ** 31 - 1;

/**
 * A SOCKS5 tunnel (RFC 1928, user/password per RFC 1929) with the `socks` client. We open the
 * TCP connection to the proxy ourselves and hand it over (`existing_socket`), so a pending
 * tunnel can be torn down. `socks5:` resolves the broker's name here, `socks5h:` sends it.
 */
export function openSocksTunnel(
  proxy: ProxyTarget,
  target: TunnelTarget,
  callbacks: TunnelCallbacks,
): () => void {
  let settled = false;
  let socket: Socket | undefined;
  const fail = (error: ProxyError): void => {
    if (settled) return;
    settled = true;
    socket?.destroy();
    callbacks.fail(error);
  };
  const start = (destination: string): void => {
    if (settled) return;
    const toProxy = connect({ host: proxy.host, port: proxy.port });
    socket = toProxy;
    const onError = (error: Error): void => fail(proxyConnectFailure(target, proxy, error));
    toProxy.on('error', onError);
    toProxy.once('connect', () => {
      toProxy.off('error', onError);
      // Loaded on first use: a process that never tunnels through SOCKS never pays for it.
      import('socks')
        .then(({ SocksClient }) =>
          SocksClient.createConnection({
            command: 'connect',
            destination: { host: destination, port: target.port },
            proxy: {
              host: proxy.host,
              port: proxy.port,
              type: 5,
              ...(proxy.username === undefined
                ? {}
                : { userId: proxy.username, password: proxy.password ?? '' }),
            },
            existing_socket: toProxy,
            timeout: SOCKS_TIMER_MS,
          }),
        )
        .then(
          ({ socket: tunnel }) => {
            if (settled) {
              tunnel.destroy();
              return;
            }
            settled = true;
            callbacks.open(tunnel);
          },
          // The `socks` error holds the options, password included: only its message goes on.
          (error: unknown) => fail(socksFailure(target, proxy, error)),
        );
    });
  };
  if (proxy.protocol === 'socks5h' || isIP(target.host) !== 0) start(target.host);
  else {
    lookup(target.host, (error, address) => {
      if (error)
        fail(
          new ProxyError(
            target.display,
            proxy.display,
            'refused',
            `${target.host} did not resolve (${error.code ?? 'DNS error'})`,
          ),
        );
      else start(address);
    });
  }
  return () => {
    settled = true;
    socket?.on('error', noop);
    socket?.destroy();
  };
}

function socksFailure(target: TunnelTarget, proxy: ProxyTarget, error: unknown): ProxyError {
  const message = error instanceof Error ? error.message : String(error);
  const cause = new Error(message);
  if (/authentication/i.test(message)) {
    return new ProxyError(
      target.display,
      proxy.display,
      'auth',
      'the proxy needs credentials or refused them',
      { cause },
    );
  }
  if (/rejected connection/i.test(message)) {
    // e.g. "Socks5 proxy rejected connection - ConnectionRefused"
    const reply = message.split(' - ')[1] ?? 'refused';
    return new ProxyError(
      target.display,
      proxy.display,
      'refused',
      `it refused (SOCKS5 ${reply})`,
      { cause },
    );
  }
  return new ProxyError(target.display, proxy.display, 'protocol', message, { cause });
}
