import { once } from 'node:events';
import { type AddressInfo, connect, createServer, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

/**
 * - `pass`: forward bytes both ways as they arrive.
 * - `blackhole`: drop every byte both ways and keep both sockets open, and swallow closes from
 *   either side: a half-open link, as behind a dead NAT or a phone hotspot that lost its uplink.
 * - `delay`: forward after `setDelay(ms)`, keeping order.
 * - `throttle`: forward at most `setThrottle(bytesPerSecond)` bytes per second each way (a chunk
 *   leaves once the previous ones and its own size have been paid for), keeping order.
 * - `cut`: reset every connection (RST) now, and reset new ones as they arrive.
 */
export type FaultMode = 'pass' | 'blackhole' | 'delay' | 'throttle' | 'cut';

/** Which way a chunk travels: from the client towards the target, or back. */
export type ChunkDirection = 'client-to-target' | 'target-to-client';

export type ChunkListener = (
  direction: ChunkDirection,
  chunk: Buffer,
  /** `performance.now()` when the proxy read the chunk. */
  atMs: number,
  /** False when the current mode dropped it. */
  forwarded: boolean,
  /** Which proxied connection carried it: 1, 2, ... in accept order. */
  linkId: number,
) => void;

export interface FaultProxy {
  readonly port: number;
  /** `mqtt://127.0.0.1:<port>` */
  readonly url: string;
  readonly mode: FaultMode;
  setMode(mode: FaultMode): void;
  setDelay(ms: number): void;
  /** Rate of `throttle` mode, bytes per second each way. Default 64 KiB/s. */
  setThrottle(bytesPerSecond: number): void;
  /** Observe every chunk that reaches the proxy, forwarded or dropped. Returns an unsubscribe. */
  onChunk(listener: ChunkListener): () => void;
  /** Number of client connections currently held. */
  connections(): number;
  close(): Promise<void>;
}

export interface StartFaultProxyOptions {
  target: { host: string; port: number };
}

interface Link {
  id: number;
  client: Socket;
  target: Socket;
}

/** A TCP proxy on 127.0.0.1 (port chosen by the OS) that injects network faults on demand. */
export async function startFaultProxy(options: StartFaultProxyOptions): Promise<FaultProxy> {
  let mode: FaultMode = 'pass';
  let delayMs = 0;
  let bytesPerSecond = 64 * 1024;
  const forwarding = (): boolean => mode === 'pass' || mode === 'delay' || mode === 'throttle';
  const listeners = new Set<ChunkListener>();
  const links = new Set<Link>();
  const timers = new Set<NodeJS.Timeout>();
  let linkCount = 0;

  const reset = (link: Link): void => {
    link.client.resetAndDestroy();
    link.target.resetAndDestroy();
    links.delete(link);
  };

  const relay = (link: Link, from: Socket, to: Socket, direction: ChunkDirection): void => {
    // Delayed chunks wait in one queue per direction behind one timer, so they leave in the
    // order they came even when the delay shrinks midway.
    const queue: Array<{ chunk: Buffer; releaseAt: number }> = [];
    let timer: NodeJS.Timeout | undefined;
    const pump = (): void => {
      if (timer) timers.delete(timer);
      timer = undefined;
      const now = performance.now();
      while (queue.length > 0 && (queue[0] as { releaseAt: number }).releaseAt <= now) {
        const { chunk } = queue.shift() as { chunk: Buffer };
        // Bytes still in flight when the link went black are lost, as on a real network.
        if (!to.destroyed && forwarding()) to.write(chunk);
      }
      const head = queue[0];
      if (head) {
        timer = setTimeout(pump, Math.max(1, Math.ceil(head.releaseAt - now)));
        timers.add(timer);
      }
    };
    from.on('data', (chunk: Buffer) => {
      const atMs = performance.now();
      const forwarded = forwarding();
      for (const listener of listeners) listener(direction, chunk, atMs, forwarded, link.id);
      if (!forwarded) return;
      if (mode === 'pass' && queue.length === 0) {
        to.write(chunk);
        return;
      }
      const last = queue[queue.length - 1];
      const previous = last ? last.releaseAt : 0;
      let releaseAt: number;
      if (mode === 'throttle') {
        // Pay for this chunk after the ones queued before it.
        releaseAt = Math.max(atMs, previous) + (chunk.length * 1000) / bytesPerSecond;
      } else {
        releaseAt = Math.max(mode === 'delay' ? atMs + delayMs : atMs, previous);
      }
      queue.push({ chunk, releaseAt });
      if (!timer) pump();
    });
    // A half-open link never tells the other side; otherwise closes travel through.
    from.on('end', () => {
      if (mode !== 'blackhole') to.end();
    });
    from.on('close', () => {
      if (mode === 'blackhole') return;
      to.destroy();
      links.delete(link);
    });
    from.on('error', () => {});
  };

  const server = createServer((client) => {
    if (mode === 'cut') {
      client.on('error', () => {});
      client.resetAndDestroy();
      return;
    }
    const target = connect(options.target.port, options.target.host);
    const link: Link = { id: ++linkCount, client, target };
    links.add(link);
    relay(link, client, target, 'client-to-target');
    relay(link, target, client, 'target-to-client');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    get mode() {
      return mode;
    },
    setMode(next) {
      mode = next;
      if (next === 'cut') for (const link of [...links]) reset(link);
    },
    setDelay(ms) {
      if (!(ms >= 0)) throw new RangeError(`delay must be >= 0, got ${ms}`);
      delayMs = ms;
    },
    setThrottle(rate) {
      if (!(rate > 0) || !Number.isFinite(rate)) {
        throw new RangeError(`throttle must be a positive number of bytes per second, got ${rate}`);
      }
      bytesPerSecond = rate;
    },
    onChunk(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    connections: () => links.size,
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const link of links) {
        link.client.destroy();
        link.target.destroy();
      }
      links.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
