/**
 * Issue 22, point 5: a broker that floods PUBLISHes into a slow `messages()` consumer. Before
 * inbound flow control, QoS 1 with `ackAfterHandler` grew the heap by 12-20 MiB/s without bound
 * (held acks queued behind the slow loop), and a QoS 0 flood was decoded only to be dropped.
 * Now the client stops reading once its consumers are full: the heap after GC stays flat, and
 * the broker's own socket buffers the rest (TCP backpressure).
 */
import { type CloseReason, createClient, type MqttClient } from '@mqttkit/client';
import { encode, type Packet } from '@mqttkit/codec';
import { type HostileConnection, sleep, startHostileBroker, until } from '@mqttkit/testkit';
import { afterEach, describe, expect, it } from 'vitest';

const gc = (globalThis as { gc?: () => void }).gc;

async function settledHeap(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    await sleep(20);
    gc?.();
  }
  return process.memoryUsage().heapUsed;
}

const MiB = 1024 * 1024;
const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const payload = new Uint8Array(100).fill(0x61);

function batch(v: 4 | 5, qos: 0 | 1, first: number, count: number): Buffer {
  const out: Uint8Array[] = [];
  for (let n = first; n < first + count; n++) {
    const packet: Packet = {
      cmd: 'publish',
      topic: 'flood/t',
      payload,
      qos,
      retain: false,
      dup: false,
    };
    if (qos === 1) packet.packetId = (n % 65535) + 1;
    out.push(encode(packet, { protocolVersion: v }));
  }
  return Buffer.concat(out);
}

/** Answers CONNECT, then floods until the test ends, as fast as the client's socket takes it. */
async function floodingBroker(v: 4 | 5, qos: 0 | 1) {
  let stop = false;
  const broker = await startHostileBroker(async (c: HostileConnection) => {
    await c.next();
    c.send(
      encode({ cmd: 'connack', sessionPresent: false, reasonCode: 0 }, { protocolVersion: v }),
    );
    let closed = false;
    void c.closed.then(() => {
      closed = true;
    });
    for (let n = 0; !stop && !closed; n += 256) {
      if (!c.send(batch(v, qos, n, 256))) await c.drained();
      else await new Promise((resolve) => setImmediate(resolve));
    }
  });
  cleanups.push(async () => {
    stop = true;
    await broker.close();
  });
  return broker;
}

const CASES = [
  { v: 5, qos: 1, ackAfterHandler: true },
  { v: 4, qos: 1, ackAfterHandler: true },
  { v: 5, qos: 0, ackAfterHandler: false },
  { v: 4, qos: 0, ackAfterHandler: false },
] as const;

describe('issue 22 point 5: a flood into a slow messages() consumer keeps the heap flat', () => {
  it('has gc exposed (run through vitest.reliability.config.ts)', () => {
    expect(typeof gc).toBe('function');
  });

  for (const { v, qos, ackAfterHandler } of CASES) {
    it(`MQTT ${v === 5 ? '5' : '3.1.1'}, QoS ${qos}${ackAfterHandler ? ', ackAfterHandler' : ''}: heap after GC flat over 6 s`, async () => {
      const broker = await floodingBroker(v, qos);
      const client: MqttClient = createClient({
        url: broker.url,
        protocolVersion: v,
        ackAfterHandler,
        reconnect: false,
      });
      cleanups.push(() => client.end({ force: true }));
      const closes: CloseReason[] = [];
      client.on('close', (reason) => closes.push(reason));
      const messages = client.messages();
      await client.connect();
      let taken = 0;
      let running = true;
      cleanups.push(async () => {
        running = false;
      });
      // A slow consumer: about 500 messages/s.
      void (async () => {
        for await (const _ of messages) {
          taken++;
          if (taken % 10 === 0) await sleep(20);
          if (!running) break;
        }
      })();
      await until(() => client.stats().readingPaused, 10_000, 'reading paused');
      await sleep(1000);
      const start = await settledHeap();
      const heldAtStart = client.stats().held;
      await sleep(5000);
      const end = await settledHeap();
      const growthMiB = (end - start) / MiB;
      console.log(
        `MQTT ${v} QoS ${qos}: heap ${(start / MiB).toFixed(1)} -> ${(end / MiB).toFixed(1)} MiB, ` +
          `held ${heldAtStart} -> ${client.stats().held}, consumer took ${taken}`,
      );
      expect(closes).toEqual([]);
      // Flat: before this fix the same 5 s grew 60-100 MiB under QoS 1 + ackAfterHandler.
      expect(growthMiB).toBeLessThan(8);
      expect(taken).toBeGreaterThan(1000);
    }, 30_000);
  }
});
