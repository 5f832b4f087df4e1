import type { Packet } from '@mqttkit/codec';
import {
  type AedesHandle,
  hasMosquitto,
  type MosquittoHandle,
  startAedes,
  startMosquitto,
} from '@mqttkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type Message, type MqttClient } from '../src/index.js';
import { text, until } from './helpers.js';

let aedes: AedesHandle;
let mosquitto: MosquittoHandle | undefined;
const clients: MqttClient[] = [];

beforeAll(async () => {
  aedes = await startAedes();
  // mosquitto's default queue per client (it dropped part of a 200-message burst under 3.1.1) would drop part of the burst.
  if (hasMosquitto)
    mosquitto = await startMosquitto({
      extraConfig: ['max_queued_messages 0', 'max_inflight_messages 0'],
    });
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.end({ force: true })));
  await aedes.close();
  await mosquitto?.close();
});

const brokers = [
  { name: 'aedes 3.1.1', url: () => aedes.url, protocolVersion: 4 as const, skip: false },
  {
    name: 'mosquitto 3.1.1',
    url: () => mosquitto?.url ?? '',
    protocolVersion: 4 as const,
    skip: !hasMosquitto,
  },
  {
    name: 'mosquitto 5.0',
    url: () => mosquitto?.url ?? '',
    protocolVersion: 5 as const,
    skip: !hasMosquitto,
  },
];

function track(c: MqttClient): { sent: Packet[]; received: Packet[]; messages: Message[] } {
  const log = { sent: [] as Packet[], received: [] as Packet[], messages: [] as Message[] };
  c.on('packetsend', (p) => log.sent.push(p));
  c.on('packetreceive', (p) => log.received.push(p));
  c.on('message', (m) => log.messages.push(m));
  return log;
}

for (const broker of brokers) {
  describe.skipIf(broker.skip)(`QoS flows against ${broker.name}`, () => {
    const make = (): MqttClient => {
      const c = createClient({
        url: broker.url(),
        protocolVersion: broker.protocolVersion,
        reconnect: false,
      });
      clients.push(c);
      return c;
    };

    for (const qos of [0, 1, 2] as const) {
      it(`QoS ${qos} both directions: publish resolves when the flow completes`, async () => {
        const pub = make();
        const sub = make();
        const pubLog = track(pub);
        const subLog = track(sub);
        await Promise.all([pub.connect(), sub.connect()]);
        const topic = `qos/${broker.protocolVersion}/${qos}/${Math.random()}`;
        const [granted] = await sub.subscribe(topic, { qos });
        expect(granted).toMatchObject({ topicFilter: topic, reasonCode: qos, qos });
        const result = await pub.publish(topic, `hello ${qos}`, { qos });
        expect(result.reasonCode).toBe(0);
        // The flow is complete when publish resolves.
        const acks = pubLog.received.map((p) => p.cmd);
        if (qos === 1) expect(acks).toContain('puback');
        if (qos === 2) expect(acks).toEqual(expect.arrayContaining(['pubrec', 'pubcomp']));
        if (qos === 2) expect(pubLog.sent.map((p) => p.cmd)).toContain('pubrel');
        await until(() => subLog.messages.length === 1, 3000, 'message');
        const [message] = subLog.messages;
        expect(message?.qos).toBe(qos);
        expect(text(message?.payload ?? new Uint8Array())).toBe(`hello ${qos}`);
        if (qos === 1)
          await until(() => subLog.sent.some((p) => p.cmd === 'puback'), 2000, 'puback');
        if (qos === 2) {
          await until(() => subLog.sent.some((p) => p.cmd === 'pubcomp'), 2000, 'pubcomp');
          expect(subLog.sent.map((p) => p.cmd)).toContain('pubrec');
        }
        expect(pub.stats().inflight).toBe(0);
      });
    }

    it('many concurrent QoS 1/2 publishes: packet ids never reused while in flight, all delivered once', async () => {
      const pub = make();
      const sub = make();
      const pubLog = track(pub);
      const subLog = track(sub);
      await Promise.all([pub.connect(), sub.connect()]);
      const topic = `many/${broker.protocolVersion}/${Math.random()}`;
      await sub.subscribe(topic, { qos: 2 });
      const inflight = new Set<number>();
      let reused = false;
      pub.on('packetsend', (p) => {
        if (p.cmd !== 'publish' || p.packetId === undefined) return;
        if (inflight.has(p.packetId)) reused = true;
        inflight.add(p.packetId);
      });
      pub.on('packetreceive', (p) => {
        if (p.cmd === 'puback' || p.cmd === 'pubcomp') inflight.delete(p.packetId);
      });
      const n = 200;
      await Promise.all(
        Array.from({ length: n }, (_, i) =>
          pub.publish(topic, String(i), { qos: i % 2 === 0 ? 1 : 2 }),
        ),
      );
      expect(reused).toBe(false);
      await until(() => subLog.messages.length >= n, 5000, 'all messages');
      const payloads = subLog.messages.map((m) => text(m.payload));
      expect(new Set(payloads).size).toBe(n);
      expect(pubLog.sent.filter((p) => p.cmd === 'publish')).toHaveLength(n);
      expect(pub.stats().inflight).toBe(0);
    });
  });
}

describe.skipIf(!hasMosquitto)('MQTT 5 results against mosquitto', () => {
  it('UNSUBACK 0x11 "no subscription existed" is a result; the connection stays up', async () => {
    const c = createClient({ url: mosquitto?.url ?? '', protocolVersion: 5, reconnect: false });
    clients.push(c);
    const closes: unknown[] = [];
    c.on('close', (r) => closes.push(r));
    await c.connect();
    const results = await c.unsubscribe(['never/subscribed', 'also/never']);
    expect(results).toEqual([
      { topicFilter: 'never/subscribed', reasonCode: 0x11 },
      { topicFilter: 'also/never', reasonCode: 0x11 },
    ]);
    expect(c.state).toBe('connected');
    await c.subscribe('after/unsub', { qos: 1 });
    const got = new Promise<Message>((resolve) => c.once('message', resolve));
    await c.publish('after/unsub', 'still up', { qos: 1 });
    expect(text((await got).payload)).toBe('still up');
    expect(closes).toEqual([]);
  });

  it('under 3.1.1 UNSUBACK has no codes: every result is 0x00', async () => {
    const c = createClient({ url: mosquitto?.url ?? '', protocolVersion: 4, reconnect: false });
    clients.push(c);
    await c.connect();
    expect(await c.unsubscribe('x/y')).toEqual([{ topicFilter: 'x/y', reasonCode: 0 }]);
  });

  it('subscription options, identifiers and user properties reach the message', async () => {
    const c = createClient({ url: mosquitto?.url ?? '', protocolVersion: 5, reconnect: false });
    clients.push(c);
    await c.connect();
    const topic = `opts/${Math.random()}`;
    await c.subscribe([{ topicFilter: topic, qos: 1, noLocal: false, retainHandling: 0 }], {
      properties: { subscriptionIdentifier: 42 },
    });
    const got = new Promise<Message>((resolve) => c.once('message', resolve));
    await c.publish(topic, 'p', {
      qos: 1,
      properties: { userProperties: { a: '1' }, contentType: 'text/plain' },
    });
    const m = await got;
    expect(m.properties?.subscriptionIdentifiers).toEqual([42]);
    expect(m.properties?.userProperties).toEqual({ a: '1' });
    expect(m.properties?.contentType).toBe('text/plain');
  });

  it('noLocal: true keeps our own messages from coming back', async () => {
    const c = createClient({ url: mosquitto?.url ?? '', protocolVersion: 5, reconnect: false });
    clients.push(c);
    await c.connect();
    const topic = `nolocal/${Math.random()}`;
    await c.subscribe([{ topicFilter: topic, qos: 1, noLocal: true }]);
    const log = track(c);
    await c.publish(topic, 'mine', { qos: 1 });
    await c.publish(`${topic}/other`, 'x', { qos: 1 });
    expect(log.messages).toEqual([]);
  });
});
