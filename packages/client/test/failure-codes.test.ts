import { afterEach, describe, expect, it } from 'vitest';
import { createClient, type MqttClient } from '../src/index.js';
import { until } from './helpers.js';
import { type ScriptedBroker, startScriptedBroker } from './scripted-broker.js';

let broker: ScriptedBroker | undefined;
let client: MqttClient | undefined;

afterEach(async () => {
  await client?.end({ force: true });
  await broker?.close();
});

// Failure reason codes are results, not faults (rumqtt #875 reconnected on them). A real broker
// denying a topic (mosquitto dynamic security) is left to the ACL helper; here a scripted broker
// answers.
describe('failure codes are results: the connection stays up, no reconnect', () => {
  it('PUBACK 0x87 rejects that publish with PublishRefusedError and its reason string', async () => {
    broker = await startScriptedBroker(5);
    client = createClient({ url: broker.url, protocolVersion: 5, reconnect: { initialDelay: 1 } });
    const closes: unknown[] = [];
    client.on('close', (r) => closes.push(r));
    await client.connect();
    const refused = client.publish('denied', 'x', { qos: 1 });
    await until(() => broker?.received.some((p) => p.cmd === 'publish') === true, 2000, 'PUBLISH');
    broker.send({
      cmd: 'puback',
      packetId: 1,
      reasonCode: 0x87,
      properties: { reasonString: 'not for you' },
    });
    await expect(refused).rejects.toMatchObject({
      code: 'MQTTKIT_ERR_PUBLISH_REFUSED',
      reasonCode: 0x87,
      reasonString: 'not for you',
    });
    expect(client.state).toBe('connected');
    // The next publish goes out on the same connection.
    const ok = client.publish('allowed', 'y', { qos: 1 });
    await until(
      () => broker?.received.filter((p) => p.cmd === 'publish').length === 2,
      2000,
      'PUBLISH 2',
    );
    const second = broker.received.filter((p) => p.cmd === 'publish')[1];
    broker.send({
      cmd: 'puback',
      packetId: second?.cmd === 'publish' ? (second.packetId ?? 0) : 0,
      reasonCode: 0,
    });
    await expect(ok).resolves.toMatchObject({ reasonCode: 0 });
    expect(closes).toEqual([]);
  });

  it('PUBREC 0x87 rejects a QoS 2 publish; no PUBREL follows', async () => {
    broker = await startScriptedBroker(5);
    client = createClient({ url: broker.url, protocolVersion: 5 });
    await client.connect();
    const refused = client.publish('denied', 'x', { qos: 2 });
    await until(() => broker?.received.some((p) => p.cmd === 'publish') === true, 2000, 'PUBLISH');
    broker.send({ cmd: 'pubrec', packetId: 1, reasonCode: 0x87 });
    await expect(refused).rejects.toMatchObject({ reasonCode: 0x87 });
    expect(broker.received.some((p) => p.cmd === 'pubrel')).toBe(false);
    expect(client.state).toBe('connected');
  });

  for (const protocolVersion of [4, 5] as const) {
    it(`SUBACK failure codes are results (MQTT ${protocolVersion})`, async () => {
      broker = await startScriptedBroker(protocolVersion);
      client = createClient({ url: broker.url, protocolVersion });
      await client.connect();
      const results = client.subscribe(['ok', 'denied'], { qos: 1 });
      await until(
        () => broker?.received.some((p) => p.cmd === 'subscribe') === true,
        2000,
        'SUBSCRIBE',
      );
      broker.send({
        cmd: 'suback',
        packetId: 1,
        reasonCodes: [1, protocolVersion === 5 ? 0x87 : 0x80],
        ...(protocolVersion === 5 ? { properties: { reasonString: 'acl' } } : {}),
      });
      expect(await results).toEqual([
        {
          topicFilter: 'ok',
          reasonCode: 1,
          qos: 1,
          ...(protocolVersion === 5
            ? { reasonString: 'acl', properties: { reasonString: 'acl' } }
            : {}),
        },
        {
          topicFilter: 'denied',
          reasonCode: protocolVersion === 5 ? 0x87 : 0x80,
          ...(protocolVersion === 5
            ? { reasonString: 'acl', properties: { reasonString: 'acl' } }
            : {}),
        },
      ]);
      expect(client.state).toBe('connected');
    });
  }

  it('every operation pending when the link dies for good settles with a typed reason', async () => {
    broker = await startScriptedBroker(4);
    client = createClient({ url: broker.url, protocolVersion: 4, reconnect: false });
    await client.connect();
    const pub = client.publish('t', 'x', { qos: 1 });
    const sub = client.subscribe('t');
    await until(
      () => broker?.received.some((p) => p.cmd === 'subscribe') === true,
      2000,
      'SUBSCRIBE',
    );
    await broker.close();
    for (const p of [pub, sub]) {
      await expect(p).rejects.toMatchObject({
        code: 'MQTTKIT_ERR_CONNECTION_CLOSED',
        inflight: true,
        reason: { initiator: 'network', willReconnect: false },
      });
    }
    broker = undefined;
  });
});
