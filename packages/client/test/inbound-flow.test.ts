// Inbound flow control against a hostile broker (testkit) that sends past what the client can
// take: MQTT 5 closes with 0x93 past our Receive Maximum [MQTT-3.3.4-9]; MQTT 3.1.1 stops
// reading the socket at the bound; a QoS 0 flood into full `messages()` consumers stops reading
// instead of decoding and dropping.
import { encode, type Packet } from '@mqttkit/codec';
import { type HostileConnection, startHostileBroker, until } from '@mqttkit/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { type CloseReason, createClient, type MqttClient } from '../src/index.js';
import { next, sleep } from './helpers.js';

type V = 4 | 5;
const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const publish = (v: V, qos: 0 | 1 | 2, n: number, packetId?: number): Uint8Array => {
  const payload = new Uint8Array(4);
  new DataView(payload.buffer).setUint32(0, n);
  const packet: Packet = { cmd: 'publish', topic: 'f', payload, qos, retain: false, dup: false };
  if (packetId !== undefined) packet.packetId = packetId;
  return encode(packet, { protocolVersion: v });
};
const seqOf = (payload: Uint8Array): number =>
  new DataView(payload.buffer, payload.byteOffset, payload.byteLength).getUint32(0);

/** Answers CONNECT, then hands the connection to `then`. */
async function broker(v: V, then: (c: HostileConnection) => Promise<void>) {
  const hostile = await startHostileBroker(async (c) => {
    await c.next();
    c.send(
      encode({ cmd: 'connack', sessionPresent: false, reasonCode: 0 }, { protocolVersion: v }),
    );
    await then(c);
  });
  cleanups.push(() => hostile.close());
  return hostile;
}

/** A logger that records the messages of `warn`. */
function warnLogger(warnings: string[]) {
  const none = (): void => {};
  return {
    trace: none,
    debug: none,
    info: none,
    warn(_: unknown, msg?: string) {
      warnings.push(String(msg));
    },
    error: none,
  };
}

function track(client: MqttClient): { closes: CloseReason[] } {
  const closes: CloseReason[] = [];
  client.on('close', (reason) => closes.push(reason));
  cleanups.push(() => client.end({ force: true }));
  return { closes };
}

/**
 * An MQTT 5 client announcing Receive Maximum 5 to a hostile broker, connected, with a handler
 * that never settles under `ackAfterHandler`: every QoS 1 message it takes stays held.
 */
async function neverAcking() {
  let conn: HostileConnection | undefined;
  const hostile = await broker(5, async (c) => {
    conn = c;
  });
  const warnings: string[] = [];
  const client = createClient({
    url: hostile.url,
    protocolVersion: 5,
    receiveMaximum: 5,
    ackAfterHandler: true,
    reconnect: false,
    logger: warnLogger(warnings),
  });
  const { closes } = track(client);
  client.on('message', () => new Promise<void>(() => {}));
  await client.connect();
  return { client, c: conn as HostileConnection, warnings, closes };
}

/**
 * Sends `make(i)` for i = 0, 1, ... in writes of 256 packets, honouring the socket's
 * backpressure, until `stop`. Resolves with the number sent.
 */
async function flood(c: HostileConnection, make: (i: number) => Uint8Array, stop: () => boolean) {
  let sent = 0;
  let closed = false;
  void c.closed.then(() => {
    closed = true;
  });
  while (!stop() && !closed) {
    const batch: Uint8Array[] = [];
    for (let i = 0; i < 256; i++) batch.push(make(sent++));
    if (!c.send(Buffer.concat(batch))) await c.drained();
    // Let the client (same process) run: a broker's socket never blocks its peer's event loop.
    else await new Promise((resolve) => setImmediate(resolve));
  }
  return sent;
}

describe('MQTT 5: far past our Receive Maximum the client closes with 0x93', () => {
  it('QoS 1 held by ackAfterHandler while the client awaits an answer: up to 1,000 past it is reported, one more is 0x93', async () => {
    const { client, c, warnings } = await neverAcking();
    // A QoS 1 publish the broker never acknowledges: while its answer is due the client reads on
    // (it never stops reading then), so only the 0x93 rule bounds what it holds. Past our
    // Receive Maximum by up to 1,000 (mosquitto 2.0.11 goes past it too) is reported once; one
    // more is 0x93.
    void client.publish('p', 'x', { qos: 1 }).catch(() => {});
    expect((await c.next()).name).toBe('publish');
    const flood: Uint8Array[] = [];
    for (let i = 1; i <= 1006; i++) flood.push(publish(5, 1, i, i));
    const ended = next(client, 'end');
    c.send(Buffer.concat(flood));
    const reason = await ended;
    expect(warnings).toEqual([expect.stringContaining('more than Receive Maximum (5)')]);
    expect(reason).toMatchObject({ type: 'protocol-violation', reasonCode: 0x93 });
    const disconnect = await c.next();
    expect(disconnect.name).toBe('disconnect');
    expect(disconnect.body[0]).toBe(0x93);
  });

  it('QoS 1 held by ackAfterHandler: at the bound reading stops, so a surplus sent later stays in TCP buffers and the link is kept', async () => {
    const { client, c, warnings, closes } = await neverAcking();
    for (let i = 1; i <= 5; i++) c.send(publish(5, 1, i, i));
    await until(() => client.stats().held === 5, 2000, 'five held');
    expect(client.stats().readingPaused).toBe(true);
    expect(warnings).toEqual([]);
    for (let i = 6; i <= 1005; i++) c.send(publish(5, 1, i, i));
    await sleep(300);
    expect(client.stats().held).toBe(5);
    expect(warnings).toEqual([]);
    expect(closes).toEqual([]);
  });

  it('QoS 2 awaiting PUBREL counts until PUBCOMP; a resent PUBLISH of such a flow does not', async () => {
    let conn: HostileConnection | undefined;
    const hostile = await broker(5, async (c) => {
      conn = c;
    });
    const warnings: string[] = [];
    const client = createClient({
      url: hostile.url,
      protocolVersion: 5,
      receiveMaximum: 3,
      reconnect: false,
      logger: warnLogger(warnings),
    });
    const { closes } = track(client);
    await client.connect();
    const c = conn as HostileConnection;
    for (let i = 1; i <= 3; i++) c.send(publish(5, 2, i, i));
    for (let i = 0; i < 3; i++) expect((await c.next()).name).toBe('pubrec');
    // The broker resends flow 1 (DUP): not a new flow.
    c.send(publish(5, 2, 1, 1));
    expect((await c.next()).name).toBe('pubrec');
    // PUBREL 1 -> PUBCOMP 1: one slot free again, so flow 4 is within.
    c.send(Buffer.from([0x62, 0x02, 0x00, 0x01]));
    expect((await c.next()).name).toBe('pubcomp');
    c.send(publish(5, 2, 4, 4));
    expect((await c.next()).name).toBe('pubrec');
    await sleep(50);
    expect(warnings).toEqual([]);
    // Flows 5 to 1004 are over (reported once); the next one is 1,000 past it: 0x93.
    for (let i = 5; i <= 1004; i++) c.send(publish(5, 2, i, i));
    for (let i = 0; i < 1000; i++) expect((await c.next()).name).toBe('pubrec');
    expect(warnings).toHaveLength(1);
    expect(closes).toEqual([]);
    const ended = next(client, 'end');
    c.send(publish(5, 2, 1005, 1005));
    expect(await ended).toMatchObject({ type: 'protocol-violation', reasonCode: 0x93 });
  });
});

describe('MQTT 3.1.1: at the bound the client stops reading the socket', () => {
  it('holds at most receiveMaximum (+ one read) for a slow ackAfterHandler consumer, then reads on', async () => {
    let conn: HostileConnection | undefined;
    let stop = false;
    const hostile = await broker(4, async (c) => {
      conn = c;
      await flood(
        c,
        (i) => publish(4, 1, i, (i % 65535) + 1),
        () => stop,
      );
    });
    cleanups.push(async () => {
      stop = true;
    });
    const client = createClient({
      url: hostile.url,
      protocolVersion: 4,
      receiveMaximum: 20,
      ackAfterHandler: true,
      reconnect: false,
    });
    const { closes } = track(client);
    const messages = client.messages(undefined, { bufferSize: 1000 });
    await client.connect();
    await until(() => client.stats().readingPaused, 5000, 'reading paused');
    const c = conn as HostileConnection;
    // The broker's writes back up: the client is not reading.
    await until(() => c.bufferedBytes > 0, 5000, 'broker buffers');
    await sleep(300);
    const held = client.stats().held;
    // One transport read (at most 64 KiB = 8,738 of these 15-byte PUBLISHes) may land past the bound.
    expect(held).toBeGreaterThanOrEqual(20);
    expect(held).toBeLessThanOrEqual(20 + 8738);
    expect(c.received.filter((f) => f.name === 'puback')).toHaveLength(0);
    // The consumer catches up: acks leave, reading resumes, the flood goes on.
    let seen = 0;
    for await (const message of messages) {
      expect(seqOf(message.payload)).toBe(seen);
      if (++seen === held + 500) break;
    }
    await until(() => c.received.some((f) => f.name === 'puback'), 2000, 'PUBACKs');
    expect(closes).toEqual([]);
  });
});

for (const v of [4, 5] as const) {
  describe(`QoS 0 flood into a full messages() consumer (MQTT ${v === 5 ? '5' : '3.1.1'})`, () => {
    it('stops reading instead of decoding and dropping: the consumer sees every message', async () => {
      let stop = false;
      let conn: HostileConnection | undefined;
      const hostile = await broker(v, async (c) => {
        conn = c;
        await flood(
          c,
          (i) => publish(v, 0, i),
          () => stop,
        );
      });
      cleanups.push(async () => {
        stop = true;
      });
      const warnings: string[] = [];
      const logger = {
        trace() {},
        debug() {},
        info() {},
        warn(_: unknown, msg?: string) {
          warnings.push(String(msg));
        },
        error() {},
      };
      const client = createClient({
        url: hostile.url,
        protocolVersion: v,
        reconnect: false,
        logger,
      });
      const { closes } = track(client);
      const messages = client.messages(undefined, { bufferSize: 100 });
      await client.connect();
      await until(() => client.stats().readingPaused, 5000, 'reading paused');
      await until(() => (conn as HostileConnection).bufferedBytes > 0, 5000, 'broker buffers');
      // A slow consumer: 2,000 messages, a pause now and then.
      let expected = 0;
      for await (const message of messages) {
        expect(seqOf(message.payload)).toBe(expected);
        expected++;
        if (expected % 500 === 0) await sleep(20);
        if (expected === 2000) break;
      }
      expect(warnings.filter((w) => w.includes('dropped'))).toEqual([]);
      expect(closes).toEqual([]);
    });
  });
}

describe('a plain message listener wants every message: reading never stops for it', () => {
  it('keeps reading, and the full iterator drops its oldest as before', async () => {
    let stop = false;
    const hostile = await broker(5, async (c) => {
      await flood(
        c,
        (i) => publish(5, 0, i),
        () => stop,
      );
    });
    cleanups.push(async () => {
      stop = true;
    });
    const client = createClient({ url: hostile.url, protocolVersion: 5, reconnect: false });
    track(client);
    let plain = 0;
    client.on('message', () => {
      plain++;
    });
    const messages = client.messages(undefined, { bufferSize: 10 });
    await client.connect();
    await until(() => plain > 5000, 5000, 'plain listener fed');
    expect(client.stats().readingPaused).toBe(false);
    const first = await messages.next();
    // The iterator kept its newest 10 (plus none beyond: reading did not stop).
    expect(seqOf((first.value as { payload: Uint8Array }).payload)).toBeGreaterThan(10);
    await messages.return?.();
  });
});

describe('reading never stops while the client awaits the broker', () => {
  it('a consumer that publishes QoS 1 and awaits the PUBACK per message does not deadlock', async () => {
    let stop = false;
    const hostile = await broker(5, async (c) => {
      // Answers every QoS 1 PUBLISH of the client while flooding QoS 0 at it.
      void (async () => {
        for (;;) {
          const frame = await c.next(60_000).catch(() => undefined);
          if (!frame) return;
          if (frame.name === 'publish') {
            const id = frame.body.readUInt16BE(2 + frame.body.readUInt16BE(0));
            c.send(Buffer.from([0x40, 0x02, id >> 8, id & 0xff]));
          }
        }
      })();
      await flood(
        c,
        (i) => publish(5, 0, i),
        () => stop,
      );
    });
    cleanups.push(async () => {
      stop = true;
    });
    const client = createClient({ url: hostile.url, protocolVersion: 5, reconnect: false });
    const { closes } = track(client);
    const messages = client.messages(undefined, { bufferSize: 50 });
    await client.connect();
    let n = 0;
    for await (const _ of messages) {
      await client.publish('out', 'x', { qos: 1 });
      // Each PUBACK waits behind the flood the broker queued first, so a few dozen suffice.
      if (++n === 20) break;
    }
    expect(n).toBe(20);
    expect(closes).toEqual([]);
  });
});
