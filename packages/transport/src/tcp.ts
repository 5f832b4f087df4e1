import { connect, type Socket } from 'node:net';
import { classifyConnectFailure } from './classify.js';
import { runConnectAttempt } from './connect-phase.js';
import { dialRoute, routeOf } from './route.js';
import { createSocketTransport } from './socket-link.js';
import type { OpenOptions, Transport } from './types.js';
import type { Endpoint } from './url.js';

const noop = () => {};

/** Plain TCP (`mqtt:`, `tcp:`), directly, over a Unix socket, or through a proxy tunnel. */
export function openTcp(endpoint: Endpoint, options: OpenOptions): Promise<Transport> {
  return runConnectAttempt<Transport>(
    {
      signal: options.signal,
      connectTimeoutMs: options.connectTimeoutMs,
      endpoint: endpoint.display,
    },
    (attempt) => {
      const ready = (socket: Socket): void => {
        const transport = createSocketTransport({
          socket,
          info: {
            kind: 'tcp',
            endpoint: endpoint.display,
            alpnProtocol: undefined,
            wsProtocol: undefined,
          },
          handlers: options,
          signal: options.signal,
          closeTimeoutMs: options.closeTimeoutMs,
        });
        if (!attempt.succeed(transport)) transport.destroy();
      };
      const route = routeOf(options);
      if (route) return dialRoute(route, endpoint, { open: ready, fail: attempt.fail });
      const socket = connect({ host: endpoint.host, port: endpoint.port });
      const onError = (error: Error) =>
        attempt.fail(classifyConnectFailure(endpoint.display, error, 'tcp'));
      socket.on('error', onError);
      socket.once('connect', () => {
        socket.off('error', onError);
        ready(socket);
      });
      return () => {
        socket.off('error', onError);
        socket.on('error', noop);
        socket.destroy();
      };
    },
  );
}
