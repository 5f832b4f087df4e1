// The client-bound bench's peer as a process of its own (`node --import tsx peer-server.ts`,
// started by `peer.ts`): a minimal MQTT 3.1.1 / 5.0 server on 127.0.0.1 (`peer-connection.ts`).
// Over IPC it tells its port once listening, answers `cpu` with its own CPU time so far (so the
// bench can show the peer is not what limits a round), and `{ until: n }` once it has received
// n PUBLISHes in all (the end of a QoS 0 publish round).
import { createServer } from 'node:net';
import { servePeerConnection } from './peer-connection.js';

/** From the peer to the bench. */
export type PeerMessage = { listening: number } | { cpuMicros: number } | { received: number };
/** From the bench to the peer. */
export type PeerRequest = 'cpu' | { until: number };

const send = (message: PeerMessage): void => {
  process.send?.(message);
};
let received = 0;
let until = Number.POSITIVE_INFINITY;
const server = createServer({ noDelay: true }, (socket) =>
  servePeerConnection(socket, (count) => {
    received += count;
    if (received < until) return;
    until = Number.POSITIVE_INFINITY;
    send({ received });
  }),
);
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  send({ listening: typeof address === 'object' && address ? address.port : 0 });
});
process.on('message', (request: PeerRequest) => {
  if (request === 'cpu') {
    const { user, system } = process.cpuUsage();
    send({ cpuMicros: user + system });
  } else if (received >= request.until) send({ received });
  else until = request.until;
});
// The bench closing the IPC channel (or exiting) ends the peer.
process.on('disconnect', () => process.exit(0));
