import { once } from 'node:events';
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import type { TransportCloseEvent, TransportHandlers } from '../src/index.js';

/** Records what a transport reports, with waits that fail instead of hanging. */
export interface Recorder {
  readonly handlers: Required<TransportHandlers>;
  readonly chunks: Uint8Array[];
  readonly closes: TransportCloseEvent[];
  drains: number;
  bytes(): Buffer;
  waitForBytes(count: number, timeoutMs?: number): Promise<Buffer>;
  waitForClose(timeoutMs?: number): Promise<TransportCloseEvent>;
  /** Resolves true as soon as `done()` holds after an event, false after `timeoutMs`. */
  within(timeoutMs: number, done: () => boolean): Promise<boolean>;
}

export function recorder(): Recorder {
  const chunks: Uint8Array[] = [];
  const closes: TransportCloseEvent[] = [];
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of listeners) listener();
  };
  const rec: Recorder = {
    chunks,
    closes,
    drains: 0,
    handlers: {
      onData(chunk) {
        chunks.push(chunk);
        notify();
      },
      onDrain() {
        rec.drains += 1;
        notify();
      },
      onClose(event) {
        closes.push(event);
        notify();
      },
    },
    bytes: () => Buffer.concat(chunks),
    waitForBytes: (count, timeoutMs = 2000) =>
      waitUntil(() => rec.bytes().length >= count, listeners, timeoutMs, `${count} bytes`).then(
        () => rec.bytes(),
      ),
    waitForClose: (timeoutMs = 2000) =>
      waitUntil(() => closes.length > 0, listeners, timeoutMs, 'onClose').then(() => closes[0]!),
    within: (timeoutMs, done) =>
      waitUntil(done, listeners, timeoutMs, 'condition').then(
        () => true,
        () => false,
      ),
  };
  return rec;
}

function waitUntil(
  done: () => boolean,
  listeners: Set<() => void>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  if (done()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!done()) return;
      cleanup();
      resolve();
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      listeners.delete(check);
    };
    listeners.add(check);
  });
}

const tracked = new WeakMap<Server, Set<Socket>>();

/** Listens on 127.0.0.1 port 0 and tracks connections, so `closeServer` can end them all. */
export async function listen(server: Server): Promise<number> {
  const sockets = new Set<Socket>();
  tracked.set(server, sockets);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

export async function closeServer(server: Server): Promise<void> {
  for (const socket of tracked.get(server) ?? []) socket.destroy();
  if (!server.listening) return;
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A loopback port with nothing listening (bound, then released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await closeServer(server);
  return port;
}

/**
 * A loopback listener that never completes a TCP handshake: a child process listens with a
 * backlog of 1 (0 would mean the default) and then blocks its event loop, so it never accepts; once the accept queue is
 * full, Linux drops further SYNs and `connect` hangs. (Only loopback: no unroutable addresses.)
 */
export async function startBlackhole(): Promise<{ port: number; close(): Promise<void> }> {
  const { spawn } = await import('node:child_process');
  const { connect } = await import('node:net');
  const script = `
    const net = require('node:net');
    const server = net.createServer();
    server.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
      process.stdout.write(server.address().port + '\\n');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
    });`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  const port = Number(line.toString().trim());
  // Fill the accept queue; the fillers that do not fit hang too, which is fine.
  const fillers: Socket[] = [];
  for (let i = 0; i < 8; i += 1) {
    const socket = connect({ host: '127.0.0.1', port });
    socket.on('error', () => {});
    fillers.push(socket);
  }
  await sleep(100);
  return {
    port,
    async close() {
      for (const socket of fillers) socket.destroy();
      child.kill('SIGKILL');
      if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
    },
  };
}
