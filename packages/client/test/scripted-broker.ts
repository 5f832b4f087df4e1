import { once } from 'node:events';
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import { createDecoder, encode, type Packet } from '@mqttkit/codec';

/**
 * A broker that follows a script: it answers CONNECT with CONNACK, then writes whatever bytes the
 * test hands it (hostile or merely unusual input), and records what the client sends.
 */
export interface ScriptedBroker {
  url: string;
  /** Packets the client sent, decoded. */
  received: Packet[];
  /** Resolves with the socket of the next client, after CONNACK was written. */
  nextSocket(): Promise<Socket>;
  /** Resolves when the current client socket closes. */
  closed(): Promise<void>;
  send(bytes: Uint8Array | Packet): void;
  /** Stop reading from the client: its writes back up (TCP backpressure). */
  pause(): void;
  close(): Promise<void>;
}

export async function startScriptedBroker(
  protocolVersion: 4 | 5,
  connack: Packet = { cmd: 'connack', sessionPresent: false, reasonCode: 0 },
  /** Handles a packet first; return true to skip the default (CONNACK on CONNECT). */
  respond?: (packet: Packet, send: (p: Packet) => void) => boolean,
): Promise<ScriptedBroker> {
  const received: Packet[] = [];
  const sockets = new Set<Socket>();
  let current: Socket | undefined;
  let waiters: Array<(s: Socket) => void> = [];
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    current = socket;
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    const decoder = createDecoder({
      protocolVersion,
      onPacket: (packet) => {
        received.push(packet);
        const send = (p: Packet): void => {
          socket.write(encode(p, { protocolVersion }));
          if (p.cmd === 'connack') for (const w of waiters.splice(0)) w(socket);
        };
        if (respond?.(packet, send)) return;
        if (packet.cmd === 'connect') {
          socket.write(encode(connack, { protocolVersion }));
          for (const w of waiters.splice(0)) w(socket);
        }
      },
      onError: () => socket.destroy(),
    });
    socket.on('data', (chunk) => decoder.push(chunk));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `mqtt://127.0.0.1:${port}`,
    received,
    nextSocket: () => new Promise((resolve) => waiters.push(resolve)),
    closed: () =>
      new Promise((resolve) => {
        if (!current || current.destroyed) resolve();
        else current.once('close', () => resolve());
      }),
    send(bytes) {
      const data = bytes instanceof Uint8Array ? bytes : encode(bytes, { protocolVersion });
      current?.write(data);
    },
    pause() {
      current?.pause();
    },
    async close() {
      waiters = [];
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
