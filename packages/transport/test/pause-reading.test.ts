import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { open, type Transport } from '../src/index.js';
import { closeServer, listen, recorder, sleep } from './helpers.js';
import { startWsServer, type WsServerHandle } from './ws-server.js';

// pauseReading() is the client's inbound flow control: while it holds, the peer's writes back up
// in its own buffers (TCP's receive window closes) instead of arriving here.

const opened: Transport[] = [];
const servers: Server[] = [];
const handles: WsServerHandle[] = [];

afterEach(async () => {
  for (const transport of opened.splice(0)) transport.destroy();
  await Promise.all(servers.splice(0).map(closeServer));
  await Promise.all(handles.splice(0).map((handle) => handle.close()));
});

const CHUNK = new Uint8Array(16 * 1024).fill(7);

/** Writes until the peer's socket reports backpressure (its write buffer stays above the mark). */
function floodUntilBlocked(write: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const step = (): void => {
      for (let i = 0; i < 64; i++) {
        if (!write()) {
          resolve();
          return;
        }
      }
      setImmediate(step);
    };
    step();
  });
}

describe('pauseReading over TCP', () => {
  it('stops onData until resumeReading, and the peer feels it as backpressure', async () => {
    let peer: Socket | undefined;
    const srv = createServer((socket) => {
      peer = socket;
    });
    servers.push(srv);
    const port = await listen(srv);
    const rec = recorder();
    const transport = await open(`mqtt://127.0.0.1:${port}`, rec.handlers);
    opened.push(transport);
    await rec.within(2000, () => peer !== undefined);
    expect(transport.pauseReading()).toBe(true);
    const before = rec.bytes().length;
    // The kernel buffers fill, then the peer's socket buffers: its write() turns false.
    await floodUntilBlocked(() => (peer as Socket).write(CHUNK));
    await sleep(100);
    expect(rec.bytes().length).toBe(before);
    expect((peer as Socket).writableLength).toBeGreaterThan(0);
    transport.resumeReading();
    expect(await rec.within(2000, () => rec.bytes().length > before)).toBe(true);
  });
});

// A graceful close must finish while reading is paused (a client holding acks at its Receive
// Maximum that calls end()): the peer's FIN or close frame has to be read, or close() waits out
// its whole timeout (5 s by default).
describe('close() while reading is paused', () => {
  /** Opens `url`, pauses reading once data waits, closes: the close must be quick and clean. */
  async function closesWhilePaused(url: string): Promise<void> {
    const rec = recorder();
    const transport = await open(url, rec.handlers);
    opened.push(transport);
    expect(transport.pauseReading()).toBe(true);
    await sleep(50);
    const started = performance.now();
    transport.close();
    const event = await rec.waitForClose(2000);
    expect(event.initiator).toBe('local');
    expect(event.error).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(1000);
  }

  it('TCP: closes as soon as the peer closes its side', async () => {
    const srv = createServer((socket) => {
      socket.on('end', () => socket.end());
      socket.write(CHUNK);
    });
    servers.push(srv);
    const port = await listen(srv);
    await closesWhilePaused(`mqtt://127.0.0.1:${port}`);
  });

  it('WebSocket (ws): the closing handshake completes', async () => {
    const handle = await startWsServer({
      onConnection(socket) {
        socket.send(CHUNK);
      },
    });
    handles.push(handle);
    await closesWhilePaused(`${handle.url}/mqtt`);
  });
});

describe('pauseReading over WebSocket (ws)', () => {
  it('stops onData until resumeReading', async () => {
    let peer: WebSocket | undefined;
    const handle = await startWsServer({
      onConnection(socket) {
        peer = socket;
      },
    });
    handles.push(handle);
    const rec = recorder();
    const transport = await open(`${handle.url}/mqtt`, rec.handlers);
    opened.push(transport);
    await rec.within(2000, () => peer !== undefined);
    expect(transport.pauseReading()).toBe(true);
    await sleep(20);
    const before = rec.bytes().length;
    const ws = peer as WebSocket;
    // ws has no write() result: its bufferedAmount grows once the TCP window is shut.
    await floodUntilBlocked(() => {
      ws.send(CHUNK);
      return ws.bufferedAmount < 4 * 1024 * 1024;
    });
    await sleep(100);
    expect(rec.bytes().length).toBe(before);
    expect(ws.bufferedAmount).toBeGreaterThan(0);
    transport.resumeReading();
    expect(await rec.within(5000, () => rec.bytes().length > before)).toBe(true);
  });
});
