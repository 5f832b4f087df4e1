/**
 * The raw party at QoS 1 and 2 against a real mosquitto (the bench's broker configuration): the
 * subscriber counts exactly N, every publisher flow ends, and the subscriber's inbound QoS 2 flows
 * all get their PUBREL. A packet id reused too early would make mosquitto drop the second
 * PUBLISH as a duplicate (QoS 2) and the count would fall short; a small window forces reuse. The
 * bound on open flows is watched from outside the pump.
 */
import { encode } from '@mqttkit/codec';
import { hasMosquitto, type MosquittoHandle } from '@mqttkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBenchBroker } from '../src/broker.js';
import { type RawConn, rawConnect, TYPES } from '../src/raw.js';
import { rawPumpAcked } from '../src/raw-pump.js';
import { sleep } from '../src/stats.js';

/**
 * Watches, from outside the pump, how many of `conn`'s flows are open at most: PUBLISH frames
 * handed to the socket minus PUBACKs (QoS 1) or PUBCOMPs (QoS 2) received.
 */
function watchOpenFlows(conn: RawConn, frameLength: number, qos: 1 | 2): () => number {
  const ending = qos === 1 ? TYPES.PUBACK : TYPES.PUBCOMP;
  let written = 0;
  let ended = 0;
  let max = 0;
  const write = conn.socket.write.bind(conn.socket) as (bytes: Buffer) => boolean;
  conn.socket.write = ((bytes: Buffer) => {
    if ((bytes[0] as number) >> 4 === 3) written += bytes.length / frameLength;
    max = Math.max(max, written - ended);
    return write(bytes);
  }) as typeof conn.socket.write;
  const onAcks = conn.onAcks.bind(conn);
  conn.onAcks = (listener) =>
    onAcks(
      listener && {
        ack(type, id, reason) {
          if (type === ending) ended++;
          listener.ack(type, id, reason);
        },
        flush: () => listener.flush(),
      },
    );
  return () => max;
}

async function until(check: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await sleep(5);
}

describe.skipIf(!hasMosquitto)('raw party at QoS 1 and 2 (mosquitto)', () => {
  let broker: MosquittoHandle;
  let sub: RawConn;
  /** A fresh publisher per case, so the watch on its socket sees only that case. */
  const publishers: RawConn[] = [];
  let arrived = 0;

  beforeAll(async () => {
    broker = await startBenchBroker();
    sub = await rawConnect(broker.port, 'raw-qos-sub');
    sub.onPublishes((count) => {
      arrived += count;
    });
  });
  afterAll(async () => {
    await Promise.all([...publishers.map((p) => p.end()), sub?.end()]);
    await broker?.close();
  });

  const cases = [
    { qos: 1, size: 64, n: 3000, window: 100 },
    { qos: 2, size: 64, n: 3000, window: 100 },
    { qos: 1, size: 16_384, n: 400, window: 100 },
    { qos: 2, size: 16_384, n: 400, window: 100 },
    { qos: 1, size: 64, n: 500, window: 3 },
    { qos: 2, size: 64, n: 500, window: 3 },
  ] as const;
  it.each(cases)(
    'QoS $qos, $size B, window $window: exactly $n delivered',
    async (c) => {
      const topic = `raw-qos/${c.qos}/${c.size}/${c.window}`;
      await sub.subscribe(topic, c.qos);
      const pub = await rawConnect(broker.port, `raw-qos-pub-${publishers.length}`);
      publishers.push(pub);
      const payload = Buffer.alloc(c.size, 0x61);
      const frame = encode(
        { cmd: 'publish', topic, payload, qos: c.qos, packetId: 1, retain: false, dup: false },
        { protocolVersion: 5 },
      );
      const maxOpen = watchOpenFlows(pub, frame.length, c.qos);
      arrived = 0;
      await Promise.race([
        rawPumpAcked(pub, topic, payload, c.qos, c.n, c.window),
        sleep(15_000).then(() => {
          throw new Error(`flows not ended within 15 s (${arrived} of ${c.n} arrived)`);
        }),
      ]);
      await until(() => arrived >= c.n && sub.awaitingPubrel() === 0, 5_000);
      // Anything more (a duplicate) would come right behind.
      await sleep(100);
      expect(arrived).toBe(c.n);
      expect(sub.awaitingPubrel()).toBe(0);
      // The window was used to the full and never exceeded.
      expect(maxOpen()).toBe(c.window);
    },
    30_000,
  );
});
