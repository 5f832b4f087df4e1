import type { Packet } from '@mqttkit/codec';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, type MqttClient, type ProtocolAnomaly } from '../src/index.js';
import { next, until } from './helpers.js';
import { type ScriptedBroker, startScriptedBroker } from './scripted-broker.js';

let broker: ScriptedBroker | undefined;
let client: MqttClient | undefined;
afterEach(async () => {
  await client?.end({ force: true });
  await broker?.close();
  broker = undefined;
  client = undefined;
});

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);

/** A broker whose CONNACK is the raw `connack` bytes. */
async function rawConnackBroker(protocolVersion: 4 | 5, connack: Uint8Array) {
  let self: ScriptedBroker | undefined;
  self = await startScriptedBroker(protocolVersion, undefined, (packet) => {
    if (packet.cmd !== 'connect') return false;
    self?.send(connack);
    return true;
  });
  return self;
}

for (const protocolVersion of [4, 5] as const) {
  describe(`strictness gaps, MQTT ${protocolVersion === 5 ? '5.0' : '3.1.1'}`, () => {
    it('acks for packet ids not in use are reported and ignored; the link stays up', async () => {
      broker = await startScriptedBroker(protocolVersion);
      client = createClient({ url: broker.url, protocolVersion, reconnect: false });
      await client.connect();
      const anomalies: ProtocolAnomaly[] = [];
      client.on('anomaly', (a) => anomalies.push(a));
      const unsolicited: Packet[] = [
        { cmd: 'puback', packetId: 41 },
        { cmd: 'pubrec', packetId: 42 },
        { cmd: 'pubcomp', packetId: 43 },
        { cmd: 'suback', packetId: 44, reasonCodes: [0] },
        { cmd: 'unsuback', packetId: 45, reasonCodes: protocolVersion === 5 ? [0] : [] },
      ];
      for (const packet of unsolicited) broker.send(packet);
      await until(() => anomalies.length === 5);
      expect(anomalies.map((a) => [a.kind, a.packet, a.packetId])).toEqual([
        ['unsolicited-ack', 'PUBACK', 41],
        ['unsolicited-ack', 'PUBREC', 42],
        ['unsolicited-ack', 'PUBCOMP', 43],
        ['unsolicited-ack', 'SUBACK', 44],
        ['unsolicited-ack', 'UNSUBACK', 45],
      ]);
      expect(client.stats().anomalies).toBe(5);
      // Spec 4.3.3: the PUBREC for no flow still gets its PUBREL (0x92 under 5.0).
      await until(() => broker?.received.some((p) => p.cmd === 'pubrel') === true);
      const pubrel = broker.received.find((p) => p.cmd === 'pubrel');
      expect(pubrel).toMatchObject(
        protocolVersion === 5 ? { packetId: 42, reasonCode: 0x92 } : { packetId: 42 },
      );
      expect(client.state).toBe('connected');
      // The link still works: a real SUBACK settles a real subscribe.
      const subscribed = client.subscribe('after');
      await until(() => broker?.received.some((p) => p.cmd === 'subscribe') === true);
      const subscribe = broker.received.find((p) => p.cmd === 'subscribe');
      if (subscribe?.cmd !== 'subscribe') throw new Error('no SUBSCRIBE');
      broker.send({ cmd: 'suback', packetId: subscribe.packetId, reasonCodes: [0] });
      await expect(subscribed).resolves.toEqual([{ topicFilter: 'after', reasonCode: 0, qos: 0 }]);
    });

    it('a CONNACK with reserved acknowledge-flag bits set closes with 0x81 before connecting', async () => {
      // [MQTT-3.2.2-1] (5.0; 3.2.2.1 in 3.1.1): bits 7-1 are reserved and MUST be 0. A broker
      // setting them speaks a CONNACK we cannot read with confidence, and Session Present decides
      // what we resend: 3.1.1 [MQTT-4.8.0-1] requires the close, 5.0 4.13.1 asks for it
      // (Malformed Packet, 0x81), and no session exists yet that staying up would save.
      const connack =
        protocolVersion === 5 ? bytes(0x20, 0x03, 0x02, 0x00, 0x00) : bytes(0x20, 0x02, 0x02, 0x00);
      broker = await rawConnackBroker(protocolVersion, connack);
      client = createClient({ url: broker.url, protocolVersion, reconnect: false });
      await expect(client.connect()).rejects.toMatchObject({
        reason: { type: 'protocol-violation', reasonCode: 0x81 },
      });
      expect(client.stats().anomalies).toBe(0);
    });

    it('an ack with a reason code its packet does not list closes with 0x81', async () => {
      // [MQTT-3.4.2-1] (5.0) / [MQTT-3.9.3-2] (3.1.1): the sender MUST use a listed code. The
      // codec's tables make such a packet malformed: 3.1.1 [MQTT-4.8.0-1] requires the close,
      // 5.0 4.13.1 asks the client to close with 0x81.
      broker = await startScriptedBroker(protocolVersion);
      client = createClient({ url: broker.url, protocolVersion, reconnect: false });
      await client.connect();
      const closed = next(client, 'close');
      // 5.0: PUBACK 0x05 (not in table 3-4); 3.1.1: SUBACK return code 0x03 (reserved).
      broker.send(
        protocolVersion === 5
          ? bytes(0x40, 0x03, 0x00, 0x01, 0x05)
          : bytes(0x90, 0x03, 0x00, 0x01, 0x03),
      );
      expect(await closed).toMatchObject({ type: 'protocol-violation', reasonCode: 0x81 });
    });
  });
}

describe('CONNACK properties the server had no reason to send (MQTT 5)', () => {
  it('an Assigned Client Identifier for a non-empty id is reported; ours is kept', async () => {
    broker = await startScriptedBroker(5, {
      cmd: 'connack',
      sessionPresent: false,
      reasonCode: 0,
      properties: { assignedClientIdentifier: 'broker-chose-this' },
    });
    client = createClient({ url: broker.url, protocolVersion: 5, clientId: 'mine' });
    const anomaly = next(client, 'anomaly');
    await client.connect();
    expect(await anomaly).toMatchObject({ kind: 'unexpected-property', packet: 'CONNACK' });
    expect(client.state).toBe('connected');
    expect(client.stats().anomalies).toBe(1);
    // The next link still introduces itself with our identifier.
    const reconnected = next(client, 'connect');
    client.reconnect();
    await reconnected;
    const ids = broker.received.flatMap((p) => (p.cmd === 'connect' ? [p.clientId] : []));
    expect(ids).toEqual(['mine', 'mine']);
  });

  it('an Assigned Client Identifier for an empty id is what [MQTT-3.2.2-16] asks: no report', async () => {
    broker = await startScriptedBroker(5, {
      cmd: 'connack',
      sessionPresent: false,
      reasonCode: 0,
      properties: { assignedClientIdentifier: 'assigned-1' },
    });
    client = createClient({ url: broker.url, protocolVersion: 5, clientId: '' });
    await client.connect();
    expect(client.stats().anomalies).toBe(0);
  });

  it('Response Information the CONNECT did not request closes with 0x82 [MQTT-3.1.2-28]', async () => {
    const connack: Packet = {
      cmd: 'connack',
      sessionPresent: false,
      reasonCode: 0,
      properties: { responseInformation: 'replies/' },
    };
    broker = await startScriptedBroker(5, connack);
    client = createClient({ url: broker.url, protocolVersion: 5, reconnect: false });
    await expect(client.connect()).rejects.toMatchObject({
      reason: { type: 'protocol-violation', reasonCode: 0x82 },
    });
    // Asked for, it is what the server may send.
    const asking = createClient({
      url: broker.url,
      protocolVersion: 5,
      reconnect: false,
      properties: { requestResponseInformation: true },
    });
    try {
      await expect(asking.connect()).resolves.toMatchObject({
        properties: { responseInformation: 'replies/' },
      });
    } finally {
      await asking.end({ force: true });
    }
  });
});
