import { connect, type Socket } from 'node:net';
import { InvalidUrlError, TransportConnectError, type TransportError } from './errors.js';
import { openHttpTunnel } from './http-connect.js';
import { type ProxyTarget, parseProxy } from './proxy-url.js';
import { openSocksTunnel } from './socks-tunnel.js';
import type { OpenOptions } from './types.js';
import type { Endpoint } from './url.js';

const noop = () => {};

/** How the bytes reach the broker when it is not a direct TCP connection to the URL's host. */
export type Route =
  | { readonly type: 'unix'; readonly path: string }
  | { readonly type: 'proxy'; readonly proxy: ProxyTarget };

/** The route `options` ask for, or undefined for a direct connection. Throws on a bad proxy. */
export function routeOf(options: OpenOptions): Route | undefined {
  if (options.proxy !== undefined && options.socketPath !== undefined) {
    // Both would name the first hop: refuse rather than pick one silently.
    throw new InvalidUrlError({ cause: new Error('give proxy or socketPath, not both') });
  }
  if (options.socketPath !== undefined) return { type: 'unix', path: options.socketPath };
  if (options.proxy !== undefined) return { type: 'proxy', proxy: parseProxy(options.proxy) };
  return undefined;
}

/**
 * Opens the raw byte stream of `route` to the broker (a Unix socket, or a proxy tunnel); TLS and
 * WebSocket then run over it as over a TCP socket. Returns how to tear a pending one down.
 */
export function dialRoute(
  route: Route,
  endpoint: Endpoint,
  callbacks: { open(socket: Socket): void; fail(error: TransportError): void },
): () => void {
  const target = { host: endpoint.host, port: endpoint.port, display: endpoint.display };
  if (route.type === 'proxy') {
    const tunnel = route.proxy.protocol === 'http' ? openHttpTunnel : openSocksTunnel;
    return tunnel(route.proxy, target, callbacks);
  }
  const socket = connect({ path: route.path });
  const onError = (error: Error): void =>
    callbacks.fail(new TransportConnectError(`unix:${route.path}`, { cause: error }));
  socket.on('error', onError);
  socket.once('connect', () => {
    socket.off('error', onError);
    callbacks.open(socket);
  });
  return () => {
    socket.off('error', onError);
    socket.on('error', noop);
    socket.destroy();
  };
}

/**
 * Runs `step` (a TLS handshake, a WebSocket upgrade) on a connection of its own, or on the
 * stream the route of `options` opens first. Returns how to tear down whichever is pending.
 */
export function overRoute(
  endpoint: Endpoint,
  options: OpenOptions,
  fail: (error: TransportError) => void,
  step: (raw: Socket | undefined) => () => void,
): () => void {
  const route = routeOf(options);
  if (!route) return step(undefined);
  let cancelStep: (() => void) | undefined;
  const cancelDial = dialRoute(route, endpoint, {
    open: (raw) => {
      cancelStep = step(raw);
    },
    fail,
  });
  return () => {
    cancelDial();
    cancelStep?.();
  };
}
