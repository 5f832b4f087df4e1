// Scenario 5: failover. Two mosquitto brokers in `servers`; the first is SIGKILLed while the
// client publishes. The client must move to the second within its reconnect policy (the first
// retry after a close goes to the next server after a backoff delay <= initialDelay, jitter off
// here so the bound is exact), subscribe again there, and keep publishing without losing a QoS 1
// publish it was asked for.
import { createClient, type Message } from '@mqttkit/client';
import { hasMosquitto, type MosquittoHandle, startMosquitto } from '@mqttkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { next, sleep, text, uid, until } from './helpers.js';

const INITIAL_DELAY_MS = 200;

let first: MosquittoHandle | undefined;
let second: MosquittoHandle | undefined;
beforeAll(async () => {
  if (!hasMosquitto) return;
  first = await startMosquitto();
  second = await startMosquitto();
});
afterAll(async () => {
  await first?.close();
  await second?.close();
});

describe.skipIf(!hasMosquitto)('scenario 5: failover across servers', () => {
  it('moves to the second broker within the policy, resubscribes and keeps publishing', async () => {
    const a = first as MosquittoHandle;
    const b = second as MosquittoHandle;
    const topic = `failover/${uid()}`;
    const client = createClient({
      servers: [a.url, b.url],
      protocolVersion: 5,
      keepalive: 10,
      reconnect: { initialDelay: INITIAL_DELAY_MS, maxDelay: 1000, jitter: 'none' },
    });
    const got: number[] = [];
    client.on('message', (m: Message) => got.push(Number(text(m.payload))));
    const servers: number[] = [];
    client.on('connect', (r) => servers.push(r.serverIndex));
    try {
      const r = await client.connect();
      expect(r.serverIndex).toBe(0);
      await client.subscribe(topic, { qos: 1 });

      // A steady publisher: one QoS 1 message every 10 ms, through the failover.
      let seq = 0;
      let publishing = true;
      const results: Array<Promise<unknown>> = [];
      const loop = (async () => {
        while (publishing) {
          results.push(client.publish(topic, String(seq++), { qos: 1 }));
          await sleep(10);
        }
      })();
      await until(() => got.length >= 20, 5000, 'traffic on the first broker');

      const moved = next(client, 'connect', 5000);
      const killedAt = performance.now();
      await a.stop({ signal: 'SIGKILL' });
      const connected = await moved;
      const failoverMs = performance.now() - killedAt;
      expect(connected.serverIndex).toBe(1);
      expect(connected.sessionPresent).toBe(false);
      // Detection is immediate (the kernel resets the socket), then one backoff delay.
      expect(failoverMs).toBeGreaterThanOrEqual(INITIAL_DELAY_MS - 20);
      expect(failoverMs).toBeLessThanOrEqual(INITIAL_DELAY_MS + 500);

      const before = got.length;
      await until(() => got.length >= before + 20, 5000, 'traffic on the second broker');
      publishing = false;
      await loop;
      const settled = await Promise.allSettled(results);
      const rejected = settled.filter((s) => s.status === 'rejected');
      expect(rejected).toEqual([]);
      // Every publish made after the move arrived (resubscribed on the new session).
      const afterMove = new Set(got.slice(before));
      const last = seq - 1;
      await until(() => got.includes(last), 3000, 'the last message');
      expect(afterMove.size).toBeGreaterThanOrEqual(20);
      expect(servers).toEqual([0, 1]);
      console.log(
        `failover: on server 1 ${failoverMs.toFixed(0)} ms after SIGKILL of server 0 ` +
          `(policy: ${INITIAL_DELAY_MS} ms); ${seq} publishes, none rejected`,
      );
    } finally {
      await client.end({ force: true });
    }
  });
});
