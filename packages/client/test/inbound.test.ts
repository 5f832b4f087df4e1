import { encode, type Packet } from '@mqttkit/codec';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, type Message, type MqttClient } from '../src/index.js';
import { next, text, until } from './helpers.js';
import { type ScriptedBroker, startScriptedBroker } from './scripted-broker.js';

let broker: ScriptedBroker | undefined;
let client: MqttClient | undefined;

afterEach(async () => {
  await client?.end({ force: true });
  await broker?.close();
  client = undefined;
  broker = undefined;
});

async function setup(protocolVersion: 4 | 5): Promise<{ b: ScriptedBroker; c: MqttClient }> {
  const b = await startScriptedBroker(protocolVersion);
  const c = createClient({ url: b.url, protocolVersion, reconnect: false, topicAliasMaximum: 5 });
  broker = b;
  client = c;
  await c.connect();
  return { b, c };
}

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);

// Each case: what the broker sends after CONNACK, and the code the client must close with.
const violations: Array<{
  name: string;
  v: 4 | 5 | 'both';
  input: () => Uint8Array | Packet;
  code: 0x81 | 0x82 | 0x94;
}> = [
  {
    name: 'a second CONNACK',
    v: 'both',
    input: () => ({ cmd: 'connack', sessionPresent: false, reasonCode: 0 }),
    code: 0x82,
  },
  {
    name: 'a CONNECT',
    v: 'both',
    input: () => ({ cmd: 'connect', clientId: 'x', clean: true, keepalive: 0 }),
    code: 0x82,
  },
  {
    name: 'a SUBSCRIBE',
    v: 'both',
    input: () => ({ cmd: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: 'a', qos: 0 }] }),
    code: 0x82,
  },
  {
    name: 'an UNSUBSCRIBE',
    v: 'both',
    input: () => ({ cmd: 'unsubscribe', packetId: 1, topicFilters: ['a'] }),
    code: 0x82,
  },
  { name: 'a PINGREQ', v: 'both', input: () => ({ cmd: 'pingreq' }), code: 0x82 },
  {
    name: 'PUBREL with reserved flags 0000',
    v: 'both',
    input: () => bytes(0x60, 0x02, 0x00, 0x01),
    code: 0x81,
  },
  { name: 'PINGRESP with flags set', v: 'both', input: () => bytes(0xd1, 0x00), code: 0x81 },
  {
    name: 'PUBLISH with QoS 3',
    v: 'both',
    input: () => bytes(0x36, 0x05, 0x00, 0x01, 0x61, 0x00, 0x01),
    code: 0x81,
  },
  {
    name: 'a truncated Remaining Length',
    v: 'both',
    input: () => bytes(0x30, 0xff, 0xff, 0xff, 0xff, 0x01),
    code: 0x81,
  },
  {
    name: 'PUBACK with reserved flags set',
    v: 'both',
    input: () => bytes(0x41, 0x02, 0x00, 0x01),
    code: 0x81,
  },
  {
    name: 'PUBREC with reserved flags set',
    v: 'both',
    input: () => bytes(0x51, 0x02, 0x00, 0x01),
    code: 0x81,
  },
  {
    name: 'PUBCOMP with reserved flags set',
    v: 'both',
    input: () => bytes(0x71, 0x02, 0x00, 0x01),
    code: 0x81,
  },
  {
    name: 'SUBACK with reserved flags set',
    v: 'both',
    input: () => bytes(0x91, 0x03, 0x00, 0x01, 0x00),
    code: 0x81,
  },
  {
    name: 'UNSUBACK with reserved flags set',
    v: 'both',
    input: () => bytes(0xb1, 0x02, 0x00, 0x01),
    code: 0x81,
  },
  {
    name: 'CONNACK with reserved flags set',
    v: 'both',
    input: () => bytes(0x21, 0x02, 0x00, 0x00),
    code: 0x81,
  },
  { name: 'a PUBACK cut short', v: 'both', input: () => bytes(0x40, 0x01, 0x00), code: 0x81 },
  {
    name: 'a QoS 1 PUBLISH with Packet Identifier 0',
    v: 4,
    input: () => bytes(0x32, 0x05, 0x00, 0x01, 0x61, 0x00, 0x00),
    code: 0x82,
  },
  {
    name: 'a QoS 1 PUBLISH with Packet Identifier 0',
    v: 5,
    input: () => bytes(0x32, 0x06, 0x00, 0x01, 0x61, 0x00, 0x00, 0x00),
    code: 0x82,
  },
  {
    name: 'an AUTH packet (type 15 is reserved in 3.1.1)',
    v: 4,
    input: () => bytes(0xf0, 0x00),
    code: 0x81,
  },
  {
    name: 'a topic alias of 0',
    v: 5,
    // PUBLISH QoS 0, topic "a", properties: Topic Alias (0x23) = 0.
    input: () => bytes(0x30, 0x07, 0x00, 0x01, 0x61, 0x03, 0x23, 0x00, 0x00),
    code: 0x82,
  },
  {
    name: 'a property repeated (two Payload Format Indicators)',
    v: 5,
    input: () => bytes(0x30, 0x08, 0x00, 0x01, 0x61, 0x04, 0x01, 0x00, 0x01, 0x00),
    code: 0x82,
  },
  {
    name: 'a property not allowed in the packet (Session Expiry in PUBLISH)',
    v: 5,
    input: () => bytes(0x30, 0x09, 0x00, 0x01, 0x61, 0x05, 0x11, 0x00, 0x00, 0x00, 0x01),
    code: 0x81,
  },
  {
    name: 'a topic alias above our maximum',
    v: 5,
    input: () => ({
      cmd: 'publish',
      topic: 'a',
      payload: new Uint8Array(),
      qos: 0,
      retain: false,
      dup: false,
      properties: { topicAlias: 6 },
    }),
    code: 0x94,
  },
  {
    name: 'an empty topic with an unknown alias',
    v: 5,
    input: () => ({
      cmd: 'publish',
      topic: '',
      payload: new Uint8Array(),
      qos: 0,
      retain: false,
      dup: false,
      properties: { topicAlias: 2 },
    }),
    code: 0x82,
  },
];

for (const protocolVersion of [4, 5] as const) {
  describe(`inbound strictness, MQTT ${protocolVersion === 5 ? '5.0' : '3.1.1'}`, () => {
    for (const tc of violations.filter((t) => t.v === 'both' || t.v === protocolVersion)) {
      it(`closes on ${tc.name} with a protocol-violation reason`, async () => {
        const { b, c } = await setup(protocolVersion);
        const closed = next(c, 'close');
        const input = tc.input();
        b.send(input);
        const reason = await closed;
        expect(reason).toMatchObject({
          type: 'protocol-violation',
          initiator: 'local',
          willReconnect: false,
        });
        if (reason.type === 'protocol-violation') {
          expect(reason.reasonCode).toBe(tc.code);
        }
        await b.closed();
        const disconnects = b.received.filter((p) => p.cmd === 'disconnect');
        if (protocolVersion === 5) {
          expect(disconnects).toHaveLength(1);
          expect(disconnects[0]).toMatchObject({
            reasonCode: reason.type === 'protocol-violation' ? reason.reasonCode : -1,
          });
        } else {
          // 3.1.1 DISCONNECT means a normal end (and would discard the Will): none is sent.
          expect(disconnects).toHaveLength(0);
        }
        expect(c.state).toBe('closed');
      });
    }

    it('a packet above our maxPacketSize closes with 0x95 before its body is buffered', async () => {
      const b = await startScriptedBroker(protocolVersion);
      const c = createClient({
        url: b.url,
        protocolVersion,
        reconnect: false,
        maxPacketSize: 1024,
      });
      broker = b;
      client = c;
      await c.connect();
      const closed = next(c, 'close');
      b.send({
        cmd: 'publish',
        topic: 'big',
        payload: new Uint8Array(4096),
        qos: 0,
        retain: false,
        dup: false,
      });
      const reason = await closed;
      expect(reason).toMatchObject({ type: 'protocol-violation', reasonCode: 0x95 });
      await b.closed();
      const disconnects = b.received.filter((p) => p.cmd === 'disconnect');
      // [MQTT-3.1.2-24] under 5.0 the client says why (0x95); 3.1.1 has no reason codes.
      expect(disconnects).toEqual(
        protocolVersion === 5 ? [expect.objectContaining({ reasonCode: 0x95 })] : [],
      );
    });

    it('a broker DISCONNECT closes with its reason (and under 5.0 its code and reason string)', async () => {
      const { b, c } = await setup(protocolVersion);
      const closed = next(c, 'close');
      b.send(
        protocolVersion === 5
          ? encode(
              { cmd: 'disconnect', reasonCode: 0x8b, properties: { reasonString: 'maintenance' } },
              { protocolVersion },
            )
          : encode({ cmd: 'disconnect' }, { protocolVersion: 4 }),
      );
      const reason = await closed;
      if (protocolVersion === 5) {
        expect(reason).toMatchObject({
          type: 'broker-disconnect',
          initiator: 'broker',
          reasonCode: 0x8b,
          reasonString: 'maintenance',
        });
      } else {
        // [MQTT-3.14] 3.1.1: only a client sends DISCONNECT.
        expect(reason).toMatchObject({ type: 'protocol-violation', reasonCode: 0x82 });
      }
    });

    it('legal but unusual input is accepted and the connection stays up', async () => {
      const { b, c } = await setup(protocolVersion);
      const messages: Message[] = [];
      c.on('message', (m) => messages.push(m));
      const props =
        protocolVersion === 5
          ? {
              properties: {
                payloadFormatIndicator: true,
                messageExpiryInterval: 60,
                responseTopic: 'reply/here',
                correlationData: new Uint8Array([1, 2]),
                contentType: 'text/plain',
                subscriptionIdentifiers: [1, 2],
                userProperties: { a: '1', b: ['2', '3'] },
                topicAlias: 3,
              },
            }
          : {};
      b.send({
        cmd: 'publish',
        topic: 'odd/topic',
        payload: new TextEncoder().encode('hi'),
        qos: 1,
        retain: true,
        dup: true,
        packetId: 7,
        ...props,
      });
      // The alias set above now stands for the topic.
      if (protocolVersion === 5) {
        b.send({
          cmd: 'publish',
          topic: '',
          payload: new Uint8Array(),
          qos: 0,
          retain: false,
          dup: false,
          properties: { topicAlias: 3 },
        });
      }
      b.send({ cmd: 'pingresp' });
      await until(() => messages.length === (protocolVersion === 5 ? 2 : 1), 2000, 'messages');
      expect(messages[0]).toMatchObject({
        topic: 'odd/topic',
        qos: 1,
        retain: true,
        dup: true,
        packetId: 7,
      });
      expect(text(messages[0]?.payload ?? new Uint8Array())).toBe('hi');
      if (protocolVersion === 5) {
        expect(messages[0]?.properties).toMatchObject({
          userProperties: { a: '1', b: ['2', '3'] },
          subscriptionIdentifiers: [1, 2],
        });
        expect(messages[1]?.topic).toBe('odd/topic');
      }
      await until(() => b.received.some((p) => p.cmd === 'puback'), 2000, 'PUBACK');
      expect(c.state).toBe('connected');
    });
  });
}

describe('QoS 2 inbound: delivered once even when the broker resends', () => {
  for (const protocolVersion of [4, 5] as const) {
    it(`MQTT ${protocolVersion}: a resent PUBLISH (DUP) before PUBREL is acknowledged but not delivered again`, async () => {
      const { b, c } = await setup(protocolVersion);
      const messages: Message[] = [];
      c.on('message', (m) => messages.push(m));
      const publish: Packet = {
        cmd: 'publish',
        topic: 't',
        payload: new Uint8Array([1]),
        qos: 2,
        retain: false,
        dup: false,
        packetId: 9,
      };
      b.send(publish);
      b.send({ ...publish, dup: true });
      await until(
        () => b.received.filter((p) => p.cmd === 'pubrec').length === 2,
        2000,
        'two PUBRECs',
      );
      b.send({ cmd: 'pubrel', packetId: 9 });
      await until(() => b.received.some((p) => p.cmd === 'pubcomp'), 2000, 'PUBCOMP');
      expect(messages).toHaveLength(1);
      // After PUBCOMP the id is free: a new message with it is a new delivery.
      b.send({ ...publish, payload: new Uint8Array([2]) });
      await until(() => messages.length === 2, 2000, 'second message');
    });
  }
});
