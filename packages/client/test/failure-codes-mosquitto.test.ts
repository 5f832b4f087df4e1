// Failure reason codes from a real broker that refuses (rumqtt #875 reconnected on them):
// mosquitto with its dynamic-security plugin. Each refusal must come back to the caller of that
// operation while the connection stays up: no close/offline/state event, no reconnect, the next
// operation works.
import type { Packet } from '@mqttkit/codec';
import { hasMosquittoDynsec, type MosquittoHandle, startMosquittoWithAcl } from '@mqttkit/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type Message, type MqttClient } from '../src/index.js';
import { next, text } from './helpers.js';

const ALICE = { username: 'alice', password: 'alice-pw' };
const WATCHER = { username: 'watcher', password: 'watcher-pw' };

/** SUBACK refusal: 0x80 "Failure" under 3.1.1, 0x87 "Not authorized" under 5.0. */
const refusedSubscribe = (v: 4 | 5): number => (v === 5 ? 0x87 : 0x80);

describe.skipIf(!hasMosquittoDynsec)('failure codes from mosquitto are results', () => {
  let broker: MosquittoHandle;
  const clients: MqttClient[] = [];
  let seq = 0;

  beforeAll(async () => {
    broker = await startMosquittoWithAcl({
      users: [
        {
          ...ALICE,
          allow: { publish: ['ok/#'], subscribe: ['ok/#'] },
          deny: { subscribe: ['ok/secret'] },
        },
        { ...WATCHER, allow: { subscribe: ['#'] } },
      ],
    });
  }, 10_000);

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.end({ force: true })));
  });

  afterAll(async () => {
    await broker?.close();
  });

  /**
   * A connected client plus a check that its connection never went down: every close-ish and
   * state event after connecting is recorded, and the reconnect counter must not move.
   */
  async function connected(
    protocolVersion: 4 | 5,
    user = ALICE,
  ): Promise<{ client: MqttClient; sent: Packet[]; stillUp: () => void }> {
    const client = createClient({
      url: broker.url,
      protocolVersion,
      clientId: `failure-codes-${protocolVersion}-${++seq}`,
      ...user,
      // Reconnect stays on: a client that tore the link down would show it as close + reconnect.
      reconnect: { initialDelay: 10, maxDelay: 50 },
    });
    clients.push(client);
    await client.connect();
    const events: string[] = [];
    for (const event of ['close', 'offline', 'end', 'state', 'connect'] as const) {
      client.on(event, () => events.push(event));
    }
    const sent: Packet[] = [];
    client.on('packetsend', (p) => sent.push(p));
    const reconnects = client.stats().reconnects;
    return {
      client,
      sent,
      stillUp: () => {
        expect(events).toEqual([]);
        expect(client.state).toBe('connected');
        expect(client.stats().reconnects).toBe(reconnects);
      },
    };
  }

  /** Publishes on `client` to `topic` and waits until it comes back through a subscription. */
  async function roundTrip(client: MqttClient, topic: string, payload: string): Promise<Message> {
    const arrived = next(client, 'message', 3000);
    await expect(client.publish(topic, payload, { qos: 1 })).resolves.toMatchObject({
      reasonCode: 0,
    });
    const message = await arrived;
    expect({ topic: message.topic, payload: text(message.payload) }).toEqual({ topic, payload });
    return message;
  }

  for (const v of [4, 5] as const) {
    describe(`MQTT ${v === 5 ? '5.0' : '3.1.1'}`, () => {
      it(`SUBACK ${refusedSubscribe(v) === 0x87 ? '0x87' : '0x80'}: a per-filter result, the other filters granted`, async () => {
        const { client, stillUp } = await connected(v);
        const results = await client.subscribe(
          [
            { topicFilter: 'ok/a', qos: 1 },
            { topicFilter: 'no/a', qos: 1 },
            { topicFilter: 'ok/secret', qos: 0 },
            { topicFilter: 'ok/b', qos: 2 },
          ],
          {},
        );
        expect(results.map((r) => [r.topicFilter, r.reasonCode, r.qos])).toEqual([
          ['ok/a', 1, 1],
          ['no/a', refusedSubscribe(v), undefined],
          ['ok/secret', refusedSubscribe(v), undefined],
          ['ok/b', 2, 2],
        ]);
        stillUp();
        // The granted filters work on the same connection, and so does a further SUBSCRIBE.
        await roundTrip(client, 'ok/a', 'after refusal');
        const again = await client.subscribe('ok/c', { qos: 1 });
        expect(again.map((r) => r.reasonCode)).toEqual([1]);
        await roundTrip(client, 'ok/c', 'second subscribe');
        stillUp();
      });

      it('unsubscribing twice: the second answer is a result', async () => {
        const { client, stillUp } = await connected(v);
        await client.subscribe('ok/u', { qos: 1 });
        const first = await client.unsubscribe('ok/u');
        const second = await client.unsubscribe('ok/u');
        expect(first).toMatchObject([{ topicFilter: 'ok/u', reasonCode: 0 }]);
        // 5.0: UNSUBACK 0x11 "No subscription existed"; 3.1.1 UNSUBACK carries no code at all.
        expect(second).toMatchObject([{ topicFilter: 'ok/u', reasonCode: v === 5 ? 0x11 : 0 }]);
        stillUp();
        await client.subscribe('ok/u', { qos: 1 });
        await roundTrip(client, 'ok/u', 'resubscribed');
        stillUp();
      });
    });
  }

  describe('MQTT 5.0 publish refusals', () => {
    it('PUBACK 0x87 rejects that QoS 1 publish with PublishRefusedError; the next publish succeeds', async () => {
      const { client, stillUp } = await connected(5);
      await client.subscribe('ok/#', { qos: 1 });
      await expect(client.publish('no/x', 'denied', { qos: 1 })).rejects.toMatchObject({
        name: 'PublishRefusedError',
        code: 'MQTTKIT_ERR_PUBLISH_REFUSED',
        reasonCode: 0x87,
      });
      expect(client.stats().inflight).toBe(0);
      stillUp();
      await roundTrip(client, 'ok/x', 'allowed');
      stillUp();
    });

    it('PUBREC 0x87 rejects that QoS 2 publish and ends the flow without PUBREL', async () => {
      const { client, sent, stillUp } = await connected(5);
      await client.subscribe('ok/#', { qos: 2 });
      await expect(client.publish('no/x', 'denied', { qos: 2 })).rejects.toMatchObject({
        code: 'MQTTKIT_ERR_PUBLISH_REFUSED',
        reasonCode: 0x87,
      });
      // A PUBREC >= 0x80 ends the QoS 2 flow (MQTT 5 §4.3.3): no PUBREL for that packet id.
      expect(sent.filter((p) => p.cmd === 'pubrel')).toEqual([]);
      expect(client.stats().inflight).toBe(0);
      stillUp();
      const arrived = next(client, 'message', 3000);
      await expect(client.publish('ok/y', 'allowed', { qos: 2 })).resolves.toMatchObject({
        reasonCode: 0,
      });
      expect(text((await arrived).payload)).toBe('allowed');
      expect(sent.filter((p) => p.cmd === 'pubrel')).toHaveLength(1);
      stillUp();
    });

    it('0x10 "No matching subscribers" is a success: the publish resolves with it', async () => {
      const { client, stillUp } = await connected(5);
      await expect(client.publish('ok/nobody', 'x', { qos: 1 })).resolves.toMatchObject({
        reasonCode: 0x10,
      });
      stillUp();
    });

    it('refusals on many pipelined publishes settle each one with its own code', async () => {
      const { client, stillUp } = await connected(5);
      await client.subscribe('ok/#', { qos: 1 });
      const topics = ['ok/1', 'no/1', 'ok/2', 'no/2', 'ok/3'];
      const settled = await Promise.allSettled(
        topics.map((t, i) => client.publish(t, String(i), { qos: ((i % 2) + 1) as 1 | 2 })),
      );
      expect(
        settled.map((s) =>
          s.status === 'fulfilled'
            ? s.value.reasonCode
            : (s.reason as { reasonCode: number }).reasonCode,
        ),
      ).toEqual([0, 0x87, 0, 0x87, 0]);
      stillUp();
    });
  });

  describe('MQTT 3.1.1 publish refusals', () => {
    // 3.1.1 PUBACK/PUBREC carry no code: mosquitto acknowledges a denied publish as usual and
    // drops it. The client can only report success (reasonCode 0); nothing tears the link down.
    it('a denied QoS 1/2 publish resolves with reasonCode 0 and is never delivered', async () => {
      const watcher = await connected(4, WATCHER);
      const seen: string[] = [];
      watcher.client.on('message', (m) => seen.push(m.topic));
      await watcher.client.subscribe('#', { qos: 1 });

      const { client, stillUp } = await connected(4);
      await expect(client.publish('no/q1', 'denied', { qos: 1 })).resolves.toEqual({
        packetId: expect.any(Number),
        reasonCode: 0,
      });
      await expect(client.publish('no/q2', 'denied', { qos: 2 })).resolves.toMatchObject({
        reasonCode: 0,
      });
      const arrived = next(watcher.client, 'message', 3000);
      await expect(client.publish('ok/after', 'allowed', { qos: 1 })).resolves.toMatchObject({
        reasonCode: 0,
      });
      await arrived;
      // The broker forwards in order: the allowed message arriving alone proves the others dropped.
      expect(seen).toEqual(['ok/after']);
      stillUp();
      watcher.stillUp();
    });
  });
});
