// Starts the client-bound bench's peer (`peer-server.ts`) in a process of its own and reads its
// CPU time, so each round can print the share of a core the peer used.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PeerMessage, PeerRequest } from './peer-server.js';

const here = dirname(fileURLToPath(import.meta.url));

export interface PeerHandle {
  port: number;
  url: string;
  /** CPU time (user + system) the peer process used so far, in µs. */
  cpuMicros(): Promise<number>;
  /** PUBLISHes the peer received so far, from every connection. */
  received(): Promise<number>;
  /** Resolves once the peer has received `total` PUBLISHes in all. */
  receivedAll(total: number): Promise<void>;
  close(): Promise<void>;
}

export function startPeer(): Promise<PeerHandle> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'peer-server.ts')], {
    cwd: join(here, '..'),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = (key: string): Promise<number> =>
    new Promise((resolve, reject) => {
      const onMessage = (message: PeerMessage): void => {
        if (!(key in message)) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve((message as Record<string, number>)[key] as number);
      };
      const onExit = (code: number | null): void => {
        child.off('message', onMessage);
        reject(new Error(`the bench peer exited (${code})`));
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const ask = (request: PeerRequest, key: string): Promise<number> => {
    const reply = next(key);
    child.send(request);
    return reply;
  };
  return next('listening').then((port) => ({
    port,
    url: `mqtt://127.0.0.1:${port}`,
    cpuMicros: () => ask('cpu', 'cpuMicros'),
    received: () => ask({ until: 0 }, 'received'),
    receivedAll: (total) => ask({ until: total }, 'received').then(() => {}),
    close() {
      return new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.disconnect();
      });
    },
  }));
}
