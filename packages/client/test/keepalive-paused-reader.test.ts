// A reader the client paused (inbound flow control: every messages() consumer full) is our
// doing, not the network's: the keepalive engine must not take it for a dead link, the broker
// must keep hearing our PINGREQs, and a link that really dies while paused must still be found
// once reading resumes. Real time, real broker (mosquitto), through the fault proxy.
import {
  type FaultProxy,
  hasMosquitto,
  type MosquittoHandle,
  startFaultProxy,
  startMosquitto,
  until,
} from '@mqttkit/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CloseReason, createClient, type MqttClient } from '../src/index.js';
import { next, sleep } from './helpers.js';

let mosquitto: MosquittoHandle;
let proxy: FaultProxy;
const clients: MqttClient[] = [];
let flooding = false;

beforeEach(async () => {
  mosquitto = await startMosquitto();
  proxy = await startFaultProxy({ target: { host: '127.0.0.1', port: mosquitto.port } });
});

afterEach(async () => {
  flooding = false;
  await Promise.all(clients.splice(0).map((c) => c.end({ force: true })));
  await proxy?.close();
  await mosquitto?.close();
});

/** A publisher straight to the broker: QoS 0, about 20,000 messages/s, until `flooding` ends. */
async function startFlood(): Promise<void> {
  const publisher = createClient({ url: mosquitto.url, reconnect: false });
  clients.push(publisher);
  await publisher.connect();
  flooding = true;
  void (async () => {
    let n = 0;
    while (flooding && publisher.connected) {
      for (let i = 0; i < 200; i++) void publisher.publish('flood/t', String(n++));
      await sleep(10);
    }
  })();
}

/** The subscriber with keepalive 1 s through the proxy, and a messages() loop that stalls. */
async function pausedSubscriber() {
  const client = createClient({
    url: proxy.url,
    keepalive: 1,
    reconnect: false,
  });
  clients.push(client);
  const closes: CloseReason[] = [];
  client.on('close', (reason) => closes.push(reason));
  const messages = client.messages('flood/#', { bufferSize: 100 });
  await client.connect();
  await client.subscribe('flood/#');
  await startFlood();
  await until(() => client.stats().readingPaused, 5000, 'reading paused');
  return { client, closes, messages };
}

describe.skipIf(!hasMosquitto)('keepalive with a paused reader (fault proxy, mosquitto)', () => {
  it('stays up for 4 s of pause (> 1.5 x keepalive both ways) and reads on after', async () => {
    const { client, closes, messages } = await pausedSubscriber();
    const pingsBefore = client.stats().pingsSent;
    // Nothing is read for 4 s: without the pause rule our engine would end the link after 1.5 s,
    // and without the PINGREQs mosquitto would (it allows 1.5 x keepalive of silence).
    await sleep(4000);
    expect(client.stats().readingPaused).toBe(true);
    expect(closes).toEqual([]);
    expect(client.stats().pingsSent - pingsBefore).toBeGreaterThanOrEqual(3);
    let taken = 0;
    for await (const _ of messages) if (++taken === 1000) break;
    expect(closes).toEqual([]);
    expect(client.connected).toBe(true);
  }, 20_000);

  it('a link that dies while paused is found after the resume, within keepalive + ping timeout', async () => {
    const { client, messages } = await pausedSubscriber();
    proxy.setMode('blackhole');
    flooding = false;
    await sleep(2000);
    expect(client.connected).toBe(true);
    // The consumer reads again: what was read before the blackhole is drained, then silence.
    let lastMessageAt = performance.now();
    const ended = next(client, 'close', 10_000);
    void (async () => {
      for await (const _ of messages) lastMessageAt = performance.now();
    })();
    const reason = await ended;
    expect(reason).toMatchObject({ type: 'keepalive-timeout' });
    // Dead at most keepalive + ping timeout (1.5 s) after the last traffic read (+ timer slack).
    expect(performance.now() - lastMessageAt).toBeLessThan(1500 + 500);
  }, 20_000);
});
