// `queue: { overflow: 'wait' }`: a full offline queue makes publish() wait for room instead of
// rejecting. A publisher offering 1,000 QoS 1 messages/s through a 1-second mosquitto restart
// (issue 22: 820 of them were rejected with `Offline queue full` under the default policy).
import { hasMosquitto, type MosquittoHandle, startMosquitto, until } from '@mqttkit/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, type MqttClient, QueueFullError } from '../src/index.js';
import { sleep, text } from './helpers.js';

const clients: MqttClient[] = [];
let mosquitto: MosquittoHandle | undefined;

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.end({ force: true })));
  await mosquitto?.close();
  mosquitto = undefined;
});

const RETRY = { initialDelay: 50, maxDelay: 100, jitter: 'none' } as const;

describe("overflow 'wait' without a broker", () => {
  it('keeps the operations beyond the bound waiting, in order; abort and end() settle them', async () => {
    // Nothing listens on port 1: the client stays offline, retrying.
    const client = createClient({
      url: 'mqtt://127.0.0.1:1',
      reconnect: RETRY,
      queue: { maxMessages: 2, overflow: 'wait' },
    });
    clients.push(client);
    void client.connect().catch(() => {});
    const outcomes: string[] = [];
    const track = (p: Promise<unknown>, name: string) =>
      p.then(
        () => outcomes.push(`${name}:ok`),
        (e: unknown) => outcomes.push(`${name}:${(e as Error).name}`),
      );
    const abort = new AbortController();
    const settled = [
      track(client.publish('t', '1', { qos: 1 }), '1'),
      track(client.publish('t', '2', { qos: 1 }), '2'),
      track(client.publish('t', '3', { qos: 1, signal: abort.signal }), '3'),
      track(client.publish('t', '4', { qos: 1 }), '4'),
    ];
    await sleep(50);
    expect(outcomes).toEqual([]);
    expect(client.stats().queued).toBe(4);
    abort.abort();
    await until(() => outcomes.length === 1, 1000, 'abort settles');
    expect(outcomes).toEqual(['3:OperationAbortedError']);
    expect(client.stats().queued).toBe(3);
    // A payload larger than maxBytes could never fit: refused at once, as before.
    const small = createClient({
      url: 'mqtt://127.0.0.1:1',
      reconnect: RETRY,
      queue: { maxMessages: 10, maxBytes: 4, overflow: 'wait' },
    });
    clients.push(small);
    void small.connect().catch(() => {});
    await expect(small.publish('t', '12345', { qos: 1 })).rejects.toBeInstanceOf(QueueFullError);
    await client.end();
    await Promise.all(settled);
    expect(outcomes).toEqual([
      '3:OperationAbortedError',
      '1:ConnectionClosedError',
      '2:ConnectionClosedError',
      '4:ConnectionClosedError',
    ]);
  });
});

/**
 * Publishes `total` QoS 1 messages at 1,000/s (10 every 10 ms, not awaiting each), stopping
 * mosquitto for one second a third of the way in. Returns what the publisher saw and what a
 * persistent subscriber received.
 */
async function publishThroughRestart(
  protocolVersion: 4 | 5,
  overflow: 'wait' | 'reject-new',
  total: number,
) {
  mosquitto = await startMosquitto({
    persistence: true,
    extraConfig: ['max_queued_messages 0', 'max_inflight_messages 0'],
  });
  const session = protocolVersion === 5 ? { sessionExpiryInterval: 600 } : {};
  const subscriber = createClient({
    url: mosquitto.url,
    protocolVersion,
    clientId: `sub-${protocolVersion}-${overflow}`,
    clean: false,
    ...session,
    reconnect: RETRY,
  });
  const publisher = createClient({
    url: mosquitto.url,
    protocolVersion,
    clientId: `pub-${protocolVersion}-${overflow}`,
    clean: false,
    ...session,
    reconnect: RETRY,
    queue: { maxMessages: 200, overflow },
  });
  clients.push(subscriber, publisher);
  const received = new Set<string>();
  subscriber.on('message', (m) => {
    received.add(text(m.payload));
  });
  await subscriber.connect();
  await subscriber.subscribe('load/t', { qos: 1 });
  await publisher.connect();
  let rejected = 0;
  let peakQueued = 0;
  const results: Promise<unknown>[] = [];
  const broker = mosquitto;
  let outage: Promise<void> | undefined;
  for (let sent = 0; sent < total; ) {
    for (let i = 0; i < 10; i++, sent++) {
      results.push(
        publisher.publish('load/t', String(sent), { qos: 1 }).catch(() => {
          rejected++;
        }),
      );
    }
    peakQueued = Math.max(peakQueued, publisher.stats().queued);
    if (sent === Math.floor(total / 3)) {
      // SIGTERM: mosquitto saves the subscriber's session and what it holds for it.
      outage = broker.stop({ signal: 'SIGTERM' }).then(async () => {
        await sleep(1000);
        await broker.start();
      });
    }
    await sleep(10);
  }
  await outage;
  await Promise.all(results);
  await until(() => received.size >= total - rejected, 15_000, 'subscriber caught up');
  return { rejected, received, peakQueued };
}

describe.skipIf(!hasMosquitto)('1,000 QoS 1 msg/s through a 1-second mosquitto restart', () => {
  for (const protocolVersion of [4, 5] as const) {
    it(`overflow 'wait' (MQTT ${protocolVersion === 5 ? '5' : '3.1.1'}): nothing rejected, nothing lost`, async () => {
      const total = 3000;
      const { rejected, received, peakQueued } = await publishThroughRestart(
        protocolVersion,
        'wait',
        total,
      );
      expect(rejected).toBe(0);
      expect(received.size).toBe(total);
      // The publisher outran the bound of 200 (queued includes what waited for room).
      expect(peakQueued).toBeGreaterThan(200);
    }, 40_000);
  }

  it("the same load under 'reject-new' rejects (so the test above can fail)", async () => {
    const { rejected } = await publishThroughRestart(5, 'reject-new', 3000);
    expect(rejected).toBeGreaterThan(0);
  }, 40_000);
});
