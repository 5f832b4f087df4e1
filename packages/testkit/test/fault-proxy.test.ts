import { once } from 'node:events';
import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type FaultProxy, startFaultProxy } from '../src/index.js';

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

/** An echo server on loopback that remembers its sockets, so a test can close them. */
async function echoServer(): Promise<{ port: number; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => {});
    socket.pipe(socket);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanup.push(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { port: (server.address() as AddressInfo).port, sockets };
}

async function proxyToEcho(): Promise<{ proxy: FaultProxy; sockets: Socket[] }> {
  const echo = await echoServer();
  const proxy = await startFaultProxy({ target: { host: '127.0.0.1', port: echo.port } });
  cleanup.push(() => proxy.close());
  return { proxy, sockets: echo.sockets };
}

async function client(port: number): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => {});
  cleanup.push(() => {
    socket.destroy();
  });
  await once(socket, 'connect');
  return socket;
}

function nextData(socket: Socket, timeoutMs: number): Promise<Buffer | 'timeout'> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      socket.off('data', onData);
      resolve('timeout');
    }, timeoutMs);
    const onData = (chunk: Buffer): void => {
      clearTimeout(timer);
      resolve(chunk);
    };
    socket.once('data', onData);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('startFaultProxy', () => {
  it('pass: forwards both ways and reports every chunk with its direction', async () => {
    const { proxy } = await proxyToEcho();
    expect(proxy.url).toBe(`mqtt://127.0.0.1:${proxy.port}`);
    const seen: string[] = [];
    proxy.onChunk((direction, chunk, atMs, forwarded) => {
      expect(atMs).toBeGreaterThan(0);
      seen.push(`${direction}:${chunk.toString()}:${forwarded}`);
    });
    const socket = await client(proxy.port);
    socket.write('hello');
    expect((await nextData(socket, 2000)).toString()).toBe('hello');
    expect(seen).toEqual(['client-to-target:hello:true', 'target-to-client:hello:true']);
  }, 10_000);

  it('blackhole: drops bytes both ways, keeps sockets open, hides the target closing', async () => {
    const { proxy, sockets } = await proxyToEcho();
    const socket = await client(proxy.port);
    socket.write('a');
    expect((await nextData(socket, 2000)).toString()).toBe('a');
    let closed = false;
    socket.on('close', () => {
      closed = true;
    });
    socket.on('end', () => {
      closed = true;
    });
    const dropped: string[] = [];
    proxy.onChunk((direction, _chunk, _at, forwarded) => {
      if (!forwarded) dropped.push(direction);
    });

    proxy.setMode('blackhole');
    socket.write('b');
    expect(await nextData(socket, 300)).toBe('timeout');
    expect(dropped).toEqual(['client-to-target']);
    // The far side goes away: the client must not hear about it through a half-open link.
    for (const s of sockets) s.end();
    await sleep(200);
    expect(closed).toBe(false);
    expect(socket.destroyed).toBe(false);
    expect(proxy.connections()).toBe(1);
  }, 10_000);

  it('blackhole then pass: forwarding resumes on the same connection', async () => {
    const { proxy } = await proxyToEcho();
    const socket = await client(proxy.port);
    proxy.setMode('blackhole');
    socket.write('lost');
    expect(await nextData(socket, 200)).toBe('timeout');
    proxy.setMode('pass');
    socket.write('found');
    expect((await nextData(socket, 2000)).toString()).toBe('found');
  }, 10_000);

  it('delay: forwards after the delay, in order', async () => {
    const { proxy } = await proxyToEcho();
    const socket = await client(proxy.port);
    proxy.setMode('delay');
    proxy.setDelay(150);
    const started = performance.now();
    let received = '';
    const done = new Promise<void>((resolve) => {
      socket.on('data', (chunk: Buffer) => {
        received += chunk.toString();
        if (received.length >= 3) resolve();
      });
    });
    const firstSeen = new Promise<void>((resolve) => proxy.onChunk(() => resolve()));
    socket.write('1');
    await firstSeen;
    // Later bytes need no delay but must not overtake the first one.
    proxy.setDelay(0);
    socket.write('2');
    await sleep(20);
    socket.write('3');
    await done;
    expect(performance.now() - started).toBeGreaterThanOrEqual(150);
    expect(received).toBe('123');
    expect(() => proxy.setDelay(-1)).toThrow(RangeError);
  }, 10_000);

  it('cut: resets open connections and new ones', async () => {
    const { proxy } = await proxyToEcho();
    const socket = await client(proxy.port);
    const error = new Promise<NodeJS.ErrnoException>((resolve) => socket.once('error', resolve));
    proxy.setMode('cut');
    expect((await error).code).toBe('ECONNRESET');
    expect(proxy.connections()).toBe(0);

    const late = connect(proxy.port, '127.0.0.1');
    cleanup.push(() => {
      late.destroy();
    });
    const lateError = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
      late.once('error', resolve);
      late.once('close', () => resolve(undefined));
    });
    expect(lateError?.code).toBe('ECONNRESET');
  }, 10_000);

  it('close() ends every connection', async () => {
    const { proxy } = await proxyToEcho();
    const socket = await client(proxy.port);
    const closed = once(socket, 'close');
    await proxy.close();
    await closed;
    expect(socket.destroyed).toBe(true);
  }, 10_000);
});

describe('throttle', () => {
  it('paces forwarding to the configured rate, in order', async () => {
    const { proxy } = await proxyToEcho();
    proxy.setThrottle(100_000); // 100 kB/s each way
    proxy.setMode('throttle');
    const socket = await client(proxy.port);
    const received: Buffer[] = [];
    socket.on('data', (d: Buffer) => received.push(d));
    const payload = Buffer.alloc(30_000);
    for (let i = 0; i < payload.length; i++) payload[i] = i % 251;
    const started = performance.now();
    for (let i = 0; i < 10; i++) socket.write(payload.subarray(i * 3000, (i + 1) * 3000));
    while (Buffer.concat(received).length < payload.length && performance.now() - started < 3000) {
      await sleep(5);
    }
    const elapsed = performance.now() - started;
    // 30 kB at 100 kB/s: about 300 ms on the way out (the echo back is paid on the same pace,
    // overlapping). Far slower than an unthrottled loopback, and no byte lost or reordered.
    expect(Buffer.concat(received).equals(payload)).toBe(true);
    expect(elapsed).toBeGreaterThanOrEqual(280);
    expect(elapsed).toBeLessThan(1500);
    expect(() => proxy.setThrottle(0)).toThrow(RangeError);
  });
});
