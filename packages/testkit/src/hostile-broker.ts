import { once } from 'node:events';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { createFrameReader, type Frame } from './frames.js';

/** One client connection as the script sees it. */
export interface HostileConnection {
  /** 1, 2, ... in accept order. */
  readonly index: number;
  /**
   * Sends raw bytes: anything, well-formed or not. Returns false once the socket's buffer is
   * above its high-water mark (the client is not reading fast enough, or not at all).
   */
  send(bytes: Uint8Array): boolean;
  /** Resolves when the socket's buffer emptied after `send` returned false, or the link closed. */
  drained(): Promise<void>;
  /** Bytes written but not yet taken by the client's side (`socket.writableLength`). */
  readonly bufferedBytes: number;
  /** The next whole packet from the client; rejects after `timeoutMs` or when the link closed. */
  next(timeoutMs?: number): Promise<Frame>;
  /** Every packet received so far on this connection. */
  readonly received: readonly Frame[];
  /** Half-closes (FIN) after pending writes. */
  end(): void;
  /** Resets the connection (RST). */
  reset(): void;
  /** Resolves when the client's socket closed. */
  readonly closed: Promise<void>;
}

/**
 * What the broker does with each connection. It may return without closing: the connection
 * then stays open and silent (a broker that never answers) until the client or `close()` ends it.
 */
export type HostileScript = (connection: HostileConnection) => void | Promise<void>;

export interface HostileBroker {
  readonly port: number;
  readonly url: string;
  /** Connections accepted so far. */
  readonly connections: readonly HostileConnection[];
  /** Errors the script threw or rejected with (a script bug, not a client one). */
  readonly scriptErrors: readonly unknown[];
  /** Drops the record of past connections (soak tests that measure the heap). */
  forgetConnections(): void;
  close(): Promise<void>;
}

/** A TCP server on 127.0.0.1 that runs `script` for each connection, for hostile-broker tests. */
export async function startHostileBroker(script: HostileScript): Promise<HostileBroker> {
  const sockets = new Set<Socket>();
  const connections: HostileConnection[] = [];
  const scriptErrors: unknown[] = [];
  let accepted = 0;
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    const reader = createFrameReader();
    const received: Frame[] = [];
    const queue: Frame[] = [];
    const waiting: Array<{ resolve: (f: Frame) => void; reject: (e: Error) => void }> = [];
    let ended = false;
    const closed = new Promise<void>((resolve) => {
      socket.once('close', () => {
        sockets.delete(socket);
        ended = true;
        for (const w of waiting.splice(0)) w.reject(new Error('connection closed'));
        resolve();
      });
    });
    socket.on('data', (chunk: Buffer) => {
      let frames: Frame[];
      try {
        frames = reader.push(chunk);
      } catch {
        socket.destroy();
        return;
      }
      for (const frame of frames) {
        received.push(frame);
        const w = waiting.shift();
        if (w) w.resolve(frame);
        else queue.push(frame);
      }
    });
    const connection: HostileConnection = {
      index: ++accepted,
      send(bytes) {
        return !socket.destroyed && socket.write(bytes);
      },
      drained() {
        if (ended || socket.writableLength === 0) return Promise.resolve();
        return new Promise<void>((resolve) => {
          const done = (): void => {
            socket.off('drain', done);
            socket.off('close', done);
            resolve();
          };
          socket.on('drain', done);
          socket.on('close', done);
        });
      },
      get bufferedBytes() {
        return socket.writableLength;
      },
      next(timeoutMs = 5000) {
        const queued = queue.shift();
        if (queued) return Promise.resolve(queued);
        if (ended) return Promise.reject(new Error('connection closed'));
        return new Promise<Frame>((resolve, reject) => {
          const entry = {
            resolve: (f: Frame) => {
              clearTimeout(timer);
              resolve(f);
            },
            reject: (e: Error) => {
              clearTimeout(timer);
              reject(e);
            },
          };
          const timer = setTimeout(() => {
            waiting.splice(waiting.indexOf(entry), 1);
            reject(new Error(`no packet within ${timeoutMs} ms`));
          }, timeoutMs);
          waiting.push(entry);
        });
      },
      received,
      end: () => socket.end(),
      reset: () => socket.resetAndDestroy(),
      closed,
    };
    connections.push(connection);
    Promise.resolve()
      .then(() => script(connection))
      .catch((error: unknown) => {
        if (!ended) scriptErrors.push(error);
      });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    connections,
    scriptErrors,
    forgetConnections() {
      connections.length = 0;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
