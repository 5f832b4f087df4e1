import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { type AedesHandle, type FaultProxy, startAedes, startFaultProxy } from '@mqttkit/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createKeepalive, type DeadReason, realScheduler } from '../src/index.js';

// MQTT 3.1.1 CONNECT, client id "ka", clean session, Keep Alive 60 s.
// 10 0e        fixed header: CONNECT, remaining length 14
// 00 04 MQTT   protocol name
// 04           protocol level 4 (3.1.1)
// 02           connect flags: clean session
// 00 3c        keep alive = 60 s. The broker must not be what notices the dead link: aedes
//              drops a client after 1.5 x this value of silence, far beyond this test.
// 00 02 6b 61  client id "ka"
const CONNECT = Buffer.from('100e00044d5154540402003c00026b61', 'hex');
const CONNACK_ACCEPTED = '20020000';
const PINGREQ = Buffer.from('c000', 'hex');
const PINGRESP_TYPE = 0xd0;
// QoS 0 PUBLISH to "t/x" with payload "hi": 30 | 07 | 00 03 't/x' | 'hi'
const PUBLISH_QOS0 = Buffer.from('30070003742f786869', 'hex');

const KEEPALIVE_MS = 1000;
const PING_TIMEOUT_MS = 500;
const BOUND_MS = KEEPALIVE_MS + PING_TIMEOUT_MS;
const TOLERANCE_MS = 300;

/** Splits a byte stream into whole MQTT packets (fixed header + Remaining Length varint). */
function packetSplitter(onPacket: (type: number, packet: Buffer) => void): (chunk: Buffer) => void {
  let buffered = Buffer.alloc(0);
  return (chunk) => {
    buffered = Buffer.concat([buffered, chunk]);
    for (;;) {
      let length = 0;
      let multiplier = 1;
      let offset = 1;
      let complete = false;
      while (offset < buffered.length && offset <= 4) {
        const byte = buffered[offset++] as number;
        length += (byte & 0x7f) * multiplier;
        multiplier *= 128;
        if ((byte & 0x80) === 0) {
          complete = true;
          break;
        }
      }
      if (!complete || buffered.length < offset + length) return;
      const packet = buffered.subarray(0, offset + length);
      buffered = buffered.subarray(offset + length);
      onPacket((packet[0] as number) & 0xf0, packet);
    }
  };
}

interface Opened {
  aedes: AedesHandle;
  proxy: FaultProxy;
  socket: Socket;
}
let opened: Opened | undefined;
afterEach(async () => {
  if (!opened) return;
  opened.socket.destroy();
  await opened.proxy.close();
  await opened.aedes.close();
  opened = undefined;
});

async function scenario(busy: boolean) {
  const aedes = await startAedes();
  const proxy = await startFaultProxy({ target: { host: '127.0.0.1', port: aedes.port } });
  const socket = connect(proxy.port, '127.0.0.1');
  opened = { aedes, proxy, socket };
  socket.on('error', () => {});
  await once(socket, 'connect');

  const pingsIntoBroker: Array<{ at: number; forwarded: boolean }> = [];
  proxy.onChunk((direction, chunk, atMs, forwarded) => {
    if (direction === 'client-to-target' && chunk.includes(PINGREQ)) {
      pingsIntoBroker.push({ at: atMs, forwarded });
    }
  });

  let lastPacketAt = 0;
  let socketClosedAt: number | undefined;
  socket.on('close', () => {
    socketClosedAt ??= performance.now();
  });
  socket.on('end', () => {
    socketClosedAt ??= performance.now();
  });

  let resolveDead: (value: { reason: DeadReason; at: number }) => void = () => {};
  const dead = new Promise<{ reason: DeadReason; at: number }>((resolve) => {
    resolveDead = resolve;
  });
  const engine = createKeepalive({
    keepaliveMs: KEEPALIVE_MS,
    pingTimeoutMs: PING_TIMEOUT_MS,
    scheduler: realScheduler,
    sendPing: () => {
      socket.write(PINGREQ);
    },
    onDead: (reason) => resolveDead({ reason, at: performance.now() }),
  });

  const connack = new Promise<string>((resolve) => {
    socket.once('data', (chunk: Buffer) => resolve(chunk.toString('hex')));
  });
  socket.write(CONNECT);
  expect(await connack).toBe(CONNACK_ACCEPTED);
  lastPacketAt = performance.now();
  engine.start();
  socket.on(
    'data',
    packetSplitter((type) => {
      lastPacketAt = performance.now();
      if (type === PINGRESP_TYPE) engine.pingAnswered();
      else engine.packetReceived();
    }),
  );

  let publishes = 0;
  const publisher = busy
    ? setInterval(() => {
        socket.write(PUBLISH_QOS0);
        engine.packetSent();
        publishes++;
      }, 50)
    : undefined;

  try {
    // A healthy link first: one ping answered by the broker.
    const deadline = performance.now() + 3000;
    while (engine.stats().pongsReceived < 1 && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(engine.stats().pongsReceived).toBe(1);
    expect(engine.stats().lastRttMs).toBeLessThan(100);

    proxy.setMode('blackhole');
    const timeout = new Promise<'timeout'>((resolve) =>
      setTimeout(() => resolve('timeout'), BOUND_MS + 2000).unref(),
    );
    const result = await Promise.race([dead, timeout]);
    if (result === 'timeout') throw new Error('onDead did not fire');

    const silence = result.at - lastPacketAt;
    return { engine, result, silence, socketClosedAt, pingsIntoBroker, publishes };
  } finally {
    clearInterval(publisher);
    engine.stop();
  }
}

describe('real time: engine + real socket + blackholing proxy + aedes', () => {
  it.each([
    ['idle link', false],
    ['busy link (QoS 0 publishes every 50 ms into the dead link)', true],
  ])(
    '%s: onDead fires within keepalive + ping timeout, never before',
    async (_name, busy) => {
      const { engine, result, silence, socketClosedAt, pingsIntoBroker, publishes } =
        await scenario(busy);

      expect(silence).toBeGreaterThanOrEqual(BOUND_MS);
      expect(silence).toBeLessThanOrEqual(BOUND_MS + TOLERANCE_MS);
      expect(result.reason).toMatchObject({
        type: 'ping-timeout',
        keepaliveMs: KEEPALIVE_MS,
        pingTimeoutMs: PING_TIMEOUT_MS,
      });
      // The socket never told us anything: the engine noticed on its own clock.
      expect(socketClosedAt).toBeUndefined();
      // Two PINGREQs crossed the proxy: one answered, one swallowed by the black hole, a keepalive
      // apart on the engine's clock (the proxy reads them a few ms later, with its own jitter).
      expect(pingsIntoBroker.map((p) => p.forwarded)).toEqual([true, false]);
      const gap = (pingsIntoBroker[1]?.at ?? Number.NaN) - (pingsIntoBroker[0]?.at ?? Number.NaN);
      expect(gap).toBeGreaterThanOrEqual(KEEPALIVE_MS - 5);
      expect(engine.stats().pingsSent).toBe(2);
      if (busy) expect(publishes).toBeGreaterThan(20);
    },
    10_000,
  );
});
