import { createServer, type Server, type ServerOpts, Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { open, type Transport } from '../src/index.js';
import {
  closeServer,
  freePort,
  listen,
  type Recorder,
  recorder,
  sleep,
  startBlackhole,
} from './helpers.js';

const opened: Transport[] = [];
const servers: Server[] = [];

async function server(onConnection: (socket: Socket) => void, options: ServerOpts = {}) {
  const srv = createServer(options, onConnection);
  servers.push(srv);
  return listen(srv);
}

async function openTracked(url: string, rec: Recorder, extra: Parameters<typeof open>[1] = {}) {
  const transport = await open(url, { ...rec.handlers, ...extra });
  opened.push(transport);
  return transport;
}

afterEach(async () => {
  for (const transport of opened.splice(0)) transport.destroy();
  await Promise.all(servers.splice(0).map(closeServer));
  vi.restoreAllMocks();
});

describe('tcp: data', () => {
  it('round-trips bytes through an echo server', async () => {
    const port = await server((socket) => socket.pipe(socket));
    const rec = recorder();
    const transport = await openTracked(`mqtt://127.0.0.1:${port}`, rec);
    expect(transport.info).toEqual({
      kind: 'tcp',
      endpoint: `mqtt://127.0.0.1:${port}`,
      alpnProtocol: undefined,
      wsProtocol: undefined,
    });
    const payload = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) % 256);
    expect(transport.write(payload.subarray(0, 10))).toBe(true);
    expect(transport.write(payload.subarray(10))).toBe(true);
    expect([...(await rec.waitForBytes(1000))]).toEqual([...payload]);
  });

  it('calls the handlers as methods of the options object (a class instance works)', async () => {
    const port = await server((socket) => socket.pipe(socket));
    class Link {
      readonly received: number[] = [];
      closes = 0;
      onData(chunk: Uint8Array): void {
        this.received.push(...chunk);
      }
      onClose(): void {
        this.closes += 1;
      }
    }
    const link = new Link();
    const transport = await open(`mqtt://127.0.0.1:${port}`, link);
    opened.push(transport);
    transport.write(Uint8Array.of(1, 2, 3));
    await vi.waitFor(() => expect(link.received).toEqual([1, 2, 3]));
    transport.destroy();
    expect(link.closes).toBe(1);
  });

  it('delivers bytes the server sends in many chunks, in order', async () => {
    const port = await server(async (socket) => {
      for (let i = 0; i < 20; i += 1) {
        socket.write(Buffer.from([i, i, i]));
        await sleep(1);
      }
    });
    const rec = recorder();
    await openTracked(`tcp://127.0.0.1:${port}`, rec);
    const bytes = await rec.waitForBytes(60);
    expect([...bytes]).toEqual(Array.from({ length: 60 }, (_, i) => Math.floor(i / 3)));
    expect(rec.chunks.length).toBeGreaterThan(1);
  });

  it('sends the writes of one tick in one socket write (cork, uncork next tick)', async () => {
    let received = Buffer.alloc(0);
    const port = await server((socket) =>
      socket.on('data', (chunk: Buffer) => {
        received = Buffer.concat([received, chunk]);
      }),
    );
    const transport = await openTracked(`mqtt://127.0.0.1:${port}`, recorder());
    type Writes = { _writev: (chunks: unknown[]) => void; _write: () => void };
    const writev = vi.spyOn(Socket.prototype as unknown as Writes, '_writev');
    const write = vi.spyOn(Socket.prototype as unknown as Writes, '_write');
    transport.write(Uint8Array.of(1));
    transport.write(Uint8Array.of(2, 3));
    transport.write(Uint8Array.of(4));
    expect(writev).not.toHaveBeenCalled();
    await vi.waitFor(() => expect([...received]).toEqual([1, 2, 3, 4]));
    expect(writev).toHaveBeenCalledTimes(1);
    expect(writev.mock.calls[0]![0]).toHaveLength(3);
    expect(write).not.toHaveBeenCalled();
  });
});

describe('tcp: close', () => {
  it('reports a peer close once, with initiator peer and no error', async () => {
    const port = await server((socket) => socket.end(Buffer.from('bye')));
    const rec = recorder();
    const transport = await openTracked(`mqtt://127.0.0.1:${port}`, rec);
    expect(await rec.waitForClose()).toEqual({ initiator: 'peer' });
    expect(rec.bytes().toString()).toBe('bye');
    expect(transport.closed).toBe(true);
    expect(transport.write(Uint8Array.of(1))).toBe(false);
    transport.close();
    transport.destroy(new Error('late'));
    await sleep(30);
    expect(rec.closes).toHaveLength(1);
  });

  it('reports a local close once, after the written bytes reached the peer', async () => {
    let received = Buffer.alloc(0);
    let peerEnded = false;
    const port = await server((socket) => {
      socket.on('data', (chunk: Buffer) => {
        received = Buffer.concat([received, chunk]);
      });
      socket.on('end', () => {
        peerEnded = true;
      });
    });
    const rec = recorder();
    const transport = await openTracked(`mqtt://127.0.0.1:${port}`, rec);
    transport.write(Buffer.from('last words'));
    transport.close();
    expect(transport.write(Uint8Array.of(1))).toBe(false);
    transport.close();
    expect(await rec.waitForClose()).toEqual({ initiator: 'local' });
    expect(peerEnded).toBe(true);
    expect(received.toString()).toBe('last words');
    transport.destroy();
    await sleep(30);
    expect(rec.closes).toHaveLength(1);
  });

  it('destroys after closeTimeoutMs when the peer never closes its side', async () => {
    // allowHalfOpen: the server keeps its side open after our FIN.
    const port = await server(() => {}, { allowHalfOpen: true });
    const rec = recorder();
    const transport = await openTracked(`mqtt://127.0.0.1:${port}`, rec, { closeTimeoutMs: 100 });
    const started = Date.now();
    transport.close();
    expect(await rec.waitForClose()).toEqual({ initiator: 'local' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
  });

  it('reports a reset by the peer as a SocketError keeping the system code', async () => {
    const port = await server((socket) => setTimeout(() => socket.resetAndDestroy(), 10));
    const rec = recorder();
    await openTracked(`mqtt://127.0.0.1:${port}`, rec);
    const event = await rec.waitForClose();
    expect(event.initiator).toBe('peer');
    expect(event.error?.code).toBe('MQTTKIT_ERR_SOCKET');
    expect(event.error).toMatchObject({ systemCode: 'ECONNRESET' });
    expect((event.error!.cause as NodeJS.ErrnoException).code).toBe('ECONNRESET');
  });

  it('destroy(error) reports that error once, wrapped as SocketError', async () => {
    const port = await server(() => {});
    const rec = recorder();
    const transport = await openTracked(`mqtt://127.0.0.1:${port}`, rec);
    const reason = new Error('giving up');
    transport.destroy(reason);
    transport.destroy(new Error('again'));
    transport.close();
    expect(transport.closed).toBe(true);
    expect(rec.closes).toHaveLength(1);
    expect(rec.closes[0]!.initiator).toBe('local');
    expect(rec.closes[0]!.error?.code).toBe('MQTTKIT_ERR_SOCKET');
    expect(rec.closes[0]!.error?.cause).toBe(reason);
    await sleep(30);
    expect(rec.closes).toHaveLength(1);
  });

  it('a throwing onData destroys the transport with HandlerError, onClose once', async () => {
    const port = await server((socket) => {
      socket.write('a');
      setTimeout(() => socket.write('b'), 20);
    });
    const rec = recorder();
    const boom = new Error('handler bug');
    let calls = 0;
    await openTracked(`mqtt://127.0.0.1:${port}`, rec, {
      onData() {
        calls += 1;
        throw boom;
      },
    });
    const event = await rec.waitForClose();
    expect(event).toMatchObject({
      initiator: 'local',
      error: { code: 'MQTTKIT_ERR_HANDLER_THREW' },
    });
    expect(event.error?.cause).toBe(boom);
    await sleep(50);
    expect(calls).toBe(1);
    expect(rec.closes).toHaveLength(1);
  });
});

describe('tcp: connect failures', () => {
  let blackhole: Awaited<ReturnType<typeof startBlackhole>>;
  beforeAll(async () => {
    blackhole = await startBlackhole();
  });
  afterAll(async () => {
    await blackhole.close();
  });

  it('rejects a refused port with TransportConnectError, cause code ECONNREFUSED', async () => {
    const port = await freePort();
    const rec = recorder();
    const error = await open(`mqtt://user:s3cret@127.0.0.1:${port}`, rec.handlers).catch((e) => e);
    expect(error).toMatchObject({ code: 'MQTTKIT_ERR_CONNECT', name: 'ConnectError' });
    expect(error.systemCode).toBe('ECONNREFUSED');
    expect(error.retryable).toBe(true);
    expect(error.cause.code).toBe('ECONNREFUSED');
    expect(error.message).toContain(`mqtt://127.0.0.1:${port}`);
    expect(error.message).not.toMatch(/s3cret|user/);
    await sleep(20);
    expect(rec.closes).toHaveLength(0);
  });

  it('rejects with ConnectTimeoutError when the TCP handshake never completes', async () => {
    const rec = recorder();
    const started = Date.now();
    const error = await open(`mqtt://127.0.0.1:${blackhole.port}`, {
      ...rec.handlers,
      connectTimeoutMs: 200,
    }).catch((e) => e);
    expect(error).toMatchObject({ code: 'MQTTKIT_ERR_CONNECT_TIMEOUT', timeoutMs: 200 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(rec.closes).toHaveLength(0);
  });

  it('connectTimeoutMs: Infinity means no timeout (not an instant one)', async () => {
    const pending = open(`mqtt://127.0.0.1:${blackhole.port}`, {
      connectTimeoutMs: Number.POSITIVE_INFINITY,
      signal: AbortSignal.timeout(150),
    });
    expect(await pending.catch((e) => e)).toMatchObject({ code: 'MQTTKIT_ERR_ABORTED' });
  });

  it('rejects with AbortError when aborted while connecting', async () => {
    const controller = new AbortController();
    const rec = recorder();
    const pending = open(`mqtt://127.0.0.1:${blackhole.port}`, {
      ...rec.handlers,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(new Error('user gave up')), 50);
    const error = await pending.catch((e) => e);
    expect(error).toMatchObject({ code: 'MQTTKIT_ERR_ABORTED', name: 'AbortError' });
    expect(error.cause.message).toBe('user gave up');
    expect(rec.closes).toHaveLength(0);
  });

  it('rejects at once with AbortError when the signal is already aborted, without connecting', async () => {
    let connections = 0;
    const port = await server(() => {
      connections += 1;
    });
    const error = await open(`mqtt://127.0.0.1:${port}`, { signal: AbortSignal.abort() }).catch(
      (e) => e,
    );
    expect(error.code).toBe('MQTTKIT_ERR_ABORTED');
    await sleep(50);
    expect(connections).toBe(0);
  });

  it('after open, aborting destroys the transport: onClose once with AbortError', async () => {
    let serverSawClose = false;
    const port = await server((socket) => {
      socket.resume();
      socket.on('close', () => {
        serverSawClose = true;
      });
    });
    const controller = new AbortController();
    const rec = recorder();
    await openTracked(`mqtt://127.0.0.1:${port}`, rec, { signal: controller.signal });
    controller.abort();
    expect(rec.closes).toEqual([
      { initiator: 'local', error: expect.objectContaining({ code: 'MQTTKIT_ERR_ABORTED' }) },
    ]);
    await vi.waitFor(() => expect(serverSawClose).toBe(true));
    expect(rec.closes).toHaveLength(1);
  });
});

describe('tcp: backpressure', () => {
  it('write returns false against a paused peer, and onDrain fires once it reads', async () => {
    let peer: Socket | undefined;
    let received = 0;
    const port = await server(
      (socket) => {
        peer = socket;
        socket.on('data', (chunk: Buffer) => {
          received += chunk.length;
        });
      },
      { pauseOnConnect: true },
    );
    const rec = recorder();
    const transport = await openTracked(`mqtt://127.0.0.1:${port}`, rec);
    const chunk = new Uint8Array(64 * 1024);
    let written = 0;
    let stuck = false;
    // Bounded: the loopback buffers hold a few MB; 2000 x 64 KiB is far beyond that.
    for (let i = 0; i < 2000 && !stuck; i += 1) {
      const ok = transport.write(chunk);
      written += chunk.length;
      if (ok) {
        await new Promise((resolve) => setImmediate(resolve));
        continue;
      }
      const before = rec.drains;
      stuck = !(await rec.within(200, () => rec.drains > before));
    }
    expect(stuck).toBe(true);
    const drainsWhileStuck = rec.drains;
    await sleep(100);
    expect(rec.drains).toBe(drainsWhileStuck);
    peer!.resume();
    await vi.waitFor(() => expect(rec.drains).toBe(drainsWhileStuck + 1), { timeout: 3000 });
    await vi.waitFor(() => expect(received).toBe(written), { timeout: 3000 });
  });
});
