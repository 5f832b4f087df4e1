import { connect } from 'node:net';
import { classifyConnectFailure } from './classify.js';
import { runConnectAttempt } from './connect-phase.js';
import { createSocketTransport } from './socket-link.js';
import type { OpenOptions, Transport } from './types.js';
import type { Endpoint } from './url.js';

const noop = () => {};

/** Plain TCP (`mqtt:`, `tcp:`). */
export function openTcp(endpoint: Endpoint, options: OpenOptions): Promise<Transport> {
  return runConnectAttempt<Transport>(
    {
      signal: options.signal,
      connectTimeoutMs: options.connectTimeoutMs,
      endpoint: endpoint.display,
    },
    (attempt) => {
      const socket = connect({ host: endpoint.host, port: endpoint.port });
      const onError = (error: Error) =>
        attempt.fail(classifyConnectFailure(endpoint.display, error, 'tcp'));
      socket.on('error', onError);
      socket.once('connect', () => {
        socket.off('error', onError);
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
      });
      return () => {
        socket.off('error', onError);
        socket.on('error', noop);
        socket.destroy();
      };
    },
  );
}
