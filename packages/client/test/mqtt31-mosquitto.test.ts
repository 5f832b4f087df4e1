// MQTT 3.1 (Protocol Name MQIsdp, level 3) against a real mosquitto, which still accepts it, as
// MQTT.js, Paho and MQTTnet offer for older brokers. mosquitto logs each client's protocol as
// "p1" (3.1), "p2" (3.1.1) or "p5" (5.0), which tells what our CONNECT said.
import { hasMosquitto, type MosquittoHandle, startMosquitto } from '@mqttkit/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type Message, type MqttClient } from '../src/index.js';
import { next, text, until } from './helpers.js';

let broker: MosquittoHandle;
const clients: MqttClient[] = [];
const make = (options: Parameters<typeof createClient>[0]): MqttClient => {
  const client = createClient({ reconnect: false, ...options });
  clients.push(client);
  return client;
};

describe.skipIf(!hasMosquitto)('MQTT 3.1 (protocolVersion 3) against mosquitto', () => {
  beforeAll(async () => {
    broker = await startMosquitto();
  }, 10_000);
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.end({ force: true })));
  });
  afterAll(async () => {
    await broker?.close();
  });

  it('connects as MQIsdp level 3 and runs QoS 0, 1 and 2 both ways', async () => {
    const client = make({ url: broker.url, protocolVersion: 3, clientId: 'mqttkit-v31-a' });
    const result = await client.connect();
    expect(result).toMatchObject({ protocolVersion: 3, sessionPresent: false });
    await until(() => broker.log().includes('as mqttkit-v31-a (p1,'), 5000, 'a p1 client');
    const [granted] = await client.subscribe('v31/#', { qos: 2 });
    expect(granted).toMatchObject({ topicFilter: 'v31/#', reasonCode: 2 });
    const received: Message[] = [];
    client.on('message', (m) => received.push(m));
    for (const qos of [0, 1, 2] as const) await client.publish(`v31/q${qos}`, `m${qos}`, { qos });
    await until(() => received.length === 3);
    expect(received.map((m) => [m.topic, text(m.payload), m.qos]).sort()).toEqual([
      ['v31/q0', 'm0', 0],
      ['v31/q1', 'm1', 1],
      ['v31/q2', 'm2', 2],
    ]);
  });

  it('has no Session Present flag: clean false means the session is resumed', async () => {
    const options = {
      url: broker.url,
      protocolVersion: 3,
      clientId: 'v31-keeper',
      clean: false,
    } as const;
    const keeper = make(options);
    expect((await keeper.connect()).sessionPresent).toBe(true);
    await keeper.subscribe('kept/#', { qos: 1 });
    await keeper.end();
    const publisher = make({ url: broker.url, protocolVersion: 4 });
    await publisher.connect();
    await publisher.publish('kept/1', 'while away', { qos: 1 });
    const back = make(options);
    const message = next(back, 'message');
    expect(await back.connect()).toMatchObject({ protocolVersion: 3, sessionPresent: true });
    // The broker kept the subscription and queued the message: nothing was resubscribed.
    expect(text((await message).payload)).toBe('while away');
  });

  it('refuses a client id the 3.1 spec does not allow (1-23 bytes) before connecting', () => {
    expect(() => make({ url: broker.url, protocolVersion: 3, clientId: 'x'.repeat(24) })).toThrow(
      expect.objectContaining({ code: 'MQTTKIT_ERR_INVALID_OPTION', option: 'clientId' }),
    );
    expect(() => make({ url: broker.url, protocolVersion: 3, clientId: '' })).toThrow(
      expect.objectContaining({ option: 'clientId' }),
    );
  });

  it('keeps MQTT 5 options out, as under 3.1.1', () => {
    expect(() => make({ url: broker.url, protocolVersion: 3, sessionExpiryInterval: 60 })).toThrow(
      expect.objectContaining({ option: 'properties' }),
    );
  });

  it('the default client id connects (at most 23 bytes)', async () => {
    const client = make({ url: broker.url, protocolVersion: 3 });
    await expect(client.connect()).resolves.toMatchObject({ protocolVersion: 3 });
  });
});
