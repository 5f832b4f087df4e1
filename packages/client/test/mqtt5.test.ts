import type { Packet } from '@mqttkit/codec';
import { hasMosquitto, type MosquittoHandle, startMosquitto } from '@mqttkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type Message, type MqttClient } from '../src/index.js';
import { text, until } from './helpers.js';

let broker: MosquittoHandle | undefined;
const clients: MqttClient[] = [];

beforeAll(async () => {
  if (!hasMosquitto) return;
  broker = await startMosquitto({
    extraConfig: ['max_inflight_messages 3', 'max_topic_alias 4', 'max_packet_size 2000'],
  });
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.end({ force: true })));
  await broker?.close();
});

function make(extra: Parameters<typeof createClient>[0] = {}): MqttClient {
  const c = createClient({
    url: broker?.url ?? '',
    protocolVersion: 5,
    reconnect: false,
    ...extra,
  });
  clients.push(c);
  return c;
}

describe.skipIf(!hasMosquitto)('MQTT 5 limits from CONNACK (mosquitto)', () => {
  it('Receive Maximum: never more unacknowledged QoS 1/2 publishes than the broker allows', async () => {
    const c = make();
    const result = await c.connect();
    expect(result.properties?.receiveMaximum).toBe(3);
    let outstanding = 0;
    let peak = 0;
    c.on('packetsend', (p) => {
      if (p.cmd === 'publish' && p.qos > 0) peak = Math.max(peak, ++outstanding);
    });
    c.on('packetreceive', (p) => {
      if (
        p.cmd === 'puback' ||
        p.cmd === 'pubcomp' ||
        (p.cmd === 'pubrec' && (p.reasonCode ?? 0) >= 0x80)
      )
        outstanding--;
    });
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        c.publish('rm/t', String(i), { qos: (1 + (i % 2)) as 1 | 2 }),
      ),
    );
    expect(peak).toBe(3);
  });

  it('outgoing topic aliases: automatic, bounded by the broker maximum, delivered with the full topic', async () => {
    const pub = make();
    const sub = make();
    const result = await pub.connect();
    expect(result.properties?.topicAliasMaximum).toBe(4);
    await sub.connect();
    await sub.subscribe('alias/#', { qos: 1 });
    const got: Message[] = [];
    sub.on('message', (m) => got.push(m));
    const sent: Packet[] = [];
    pub.on('packetsend', (p) => sent.push(p));
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 6; i++)
        await pub.publish(`alias/topic/${i}`, `${round}:${i}`, { qos: 1 });
    }
    const aliases = sent.flatMap((p) =>
      p.cmd === 'publish' ? [p.properties?.topicAlias ?? 0] : [],
    );
    expect(Math.max(...aliases)).toBeLessThanOrEqual(4);
    expect(aliases.every((a) => a >= 1)).toBe(true);
    await until(() => got.length === 12, 3000, 'messages');
    expect(got.map((m) => m.topic)).toEqual(
      [0, 1].flatMap(() => [0, 1, 2, 3, 4, 5].map((i) => `alias/topic/${i}`)),
    );
  });

  it('broker Maximum Packet Size: a larger publish is refused locally and the connection stays up', async () => {
    const c = make();
    const result = await c.connect();
    expect(result.properties?.maximumPacketSize).toBe(2000);
    await expect(c.publish('big', new Uint8Array(5000), { qos: 1 })).rejects.toMatchObject({
      code: 'MQTTKIT_ERR_PACKET_TOO_LARGE_FOR_BROKER',
      reasonCode: 0x95,
    });
    expect(c.state).toBe('connected');
    await expect(c.publish('small', 'ok', { qos: 1 })).resolves.toBeDefined();
  });

  it('Assigned Client Identifier is surfaced and reused on the next connection', async () => {
    const c = make({ clientId: '' });
    const sent: Packet[] = [];
    c.on('packetsend', (p) => sent.push(p));
    const first = await c.connect();
    const assigned = first.properties?.assignedClientIdentifier;
    expect(assigned).toMatch(/.+/);
    await c.end();
    await c.connect();
    const connects = sent.filter((p) => p.cmd === 'connect');
    expect(connects.map((p) => (p.cmd === 'connect' ? p.clientId : ''))).toEqual(['', assigned]);
  });

  it('request/response properties and user properties round-trip; reason strings are surfaced', async () => {
    const c = make();
    await c.connect();
    await c.subscribe('rr/req', { qos: 1 });
    const got = new Promise<Message>((resolve) => c.once('message', resolve));
    await c.publish('rr/req', 'question', {
      qos: 1,
      properties: {
        responseTopic: 'rr/resp',
        correlationData: new Uint8Array([7, 7]),
        userProperties: { trace: 'abc' },
        messageExpiryInterval: 30,
      },
    });
    const m = await got;
    expect(text(m.payload)).toBe('question');
    expect(m.properties?.responseTopic).toBe('rr/resp');
    expect([...(m.properties?.correlationData ?? [])]).toEqual([7, 7]);
    expect(m.properties?.userProperties).toEqual({ trace: 'abc' });
  });

  it('shared subscriptions deliver each message to one member of the group', async () => {
    const a = make();
    const b = make();
    const p = make();
    await Promise.all([a.connect(), b.connect(), p.connect()]);
    await a.subscribe('$share/g/shared/t', { qos: 1 });
    await b.subscribe('$share/g/shared/t', { qos: 1 });
    let count = 0;
    a.on('message', () => count++);
    b.on('message', () => count++);
    for (let i = 0; i < 10; i++) await p.publish('shared/t', String(i), { qos: 1 });
    await until(() => count === 10, 3000, 'shared delivery');
    await new Promise((r) => setTimeout(r, 50));
    expect(count).toBe(10);
  });
});

describe.skipIf(!hasMosquitto)('request/response helper (MQTT 5)', () => {
  it('request() resolves with the reply carrying its correlation data; respond() answers', async () => {
    const service = make();
    const caller = make();
    await Promise.all([service.connect(), caller.connect()]);
    await service.subscribe('svc/echo', { qos: 1 });
    service.on('message', (m) => {
      if (m.topic === 'svc/echo') void service.respond(m, `echo:${text(m.payload)}`, { qos: 1 });
    });
    const [a, b] = await Promise.all([
      caller.request('svc/echo', 'one'),
      caller.request('svc/echo', 'two'),
    ]);
    expect(text(a.payload)).toBe('echo:one');
    expect(text(b.payload)).toBe('echo:two');
  });

  it('request() without a reply rejects when its signal aborts, and when the client ends', async () => {
    const caller = make();
    await caller.connect();
    await expect(
      caller.request('svc/nobody', 'x', { signal: AbortSignal.timeout(100) }),
    ).rejects.toMatchObject({ code: 'MQTTKIT_ERR_OPERATION_ABORTED' });
    const pending = caller.request('svc/nobody', 'y');
    await until(() => caller.stats().inflight === 0, 2000, 'published');
    await caller.end();
    await expect(pending).rejects.toMatchObject({
      code: 'MQTTKIT_ERR_CONNECTION_CLOSED',
      reason: { type: 'local-end' },
    });
  });
});
