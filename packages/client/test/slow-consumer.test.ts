import type { Packet } from '@mqttkit/codec';
import { hasMosquitto, startMosquitto } from '@mqttkit/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, type MqttClient } from '../src/index.js';
import { sleep, text, until } from './helpers.js';
import { type ScriptedBroker, startScriptedBroker } from './scripted-broker.js';

let broker: ScriptedBroker | undefined;
let client: MqttClient | undefined;

afterEach(async () => {
  await client?.end({ force: true });
  await broker?.close();
  broker = undefined;
  client = undefined;
});

const publish = (packetId: number): Packet => ({
  cmd: 'publish',
  topic: 't',
  payload: new Uint8Array([packetId]),
  qos: 1,
  retain: false,
  dup: false,
  packetId,
});

describe('ackAfterHandler: acks wait for the handler, control packets do not', () => {
  it('holds PUBACKs until the handler settles, in arrival order, while other packets flow', async () => {
    broker = await startScriptedBroker(5);
    client = createClient({
      url: broker.url,
      protocolVersion: 5,
      ackAfterHandler: true,
      reconnect: false,
    });
    const release = new Map<number, () => void>();
    client.on(
      'message',
      (m) => new Promise<void>((resolve) => release.set(m.payload[0] as number, resolve)),
    );
    await client.connect();
    broker.send(publish(1));
    broker.send(publish(2));
    await until(() => release.size === 2, 2000, 'both delivered');
    // A SUBACK is processed while both handlers are still busy.
    const sub = client.subscribe('x');
    await until(
      () => broker?.received.some((p) => p.cmd === 'subscribe') === true,
      2000,
      'SUBSCRIBE',
    );
    broker.send({ cmd: 'suback', packetId: 1, reasonCodes: [0] });
    await sub;
    expect(broker.received.filter((p) => p.cmd === 'puback')).toEqual([]);
    release.get(2)?.();
    await sleep(30);
    // PUBACK 2 waits behind PUBACK 1 [MQTT-4.6.0-2].
    expect(broker.received.filter((p) => p.cmd === 'puback')).toEqual([]);
    release.get(1)?.();
    await until(
      () => broker?.received.filter((p) => p.cmd === 'puback').length === 2,
      2000,
      'PUBACKs',
    );
    const acks = broker.received.flatMap((p) => (p.cmd === 'puback' ? [p.packetId] : []));
    expect(acks).toEqual([1, 2]);
  });

  it('a messages() loop acknowledges a message when it moves past it', async () => {
    broker = await startScriptedBroker(4);
    client = createClient({
      url: broker.url,
      protocolVersion: 4,
      ackAfterHandler: true,
      reconnect: false,
    });
    await client.connect();
    const iterator = client.messages();
    broker.send(publish(5));
    const first = await iterator.next();
    expect(first.done).toBe(false);
    await sleep(30);
    expect(broker.received.some((p) => p.cmd === 'puback')).toBe(false);
    const pending = iterator.next();
    await until(() => broker?.received.some((p) => p.cmd === 'puback') === true, 2000, 'PUBACK');
    await iterator.return?.();
    await pending;
  });

  it.skipIf(!hasMosquitto)(
    'with a slow loop the broker Receive Maximum throttles delivery and keepalive keeps working',
    async () => {
      const mosquitto = await startMosquitto();
      const publisher = createClient({ url: mosquitto.url, protocolVersion: 5, reconnect: false });
      try {
        client = createClient({
          url: mosquitto.url,
          protocolVersion: 5,
          keepalive: 1,
          receiveMaximum: 2,
          ackAfterHandler: true,
          reconnect: false,
        });
        let unacked = 0;
        const wire: string[] = [];
        client.on('packetreceive', (p) =>
          wire.push(`r:${p.cmd}:${'packetId' in p ? p.packetId : ''}`),
        );
        client.on('packetsend', (p) =>
          wire.push(`s:${p.cmd}:${'packetId' in p ? p.packetId : ''}`),
        );
        let peak = 0;
        client.on('packetreceive', (p) => {
          if (p.cmd === 'publish') peak = Math.max(peak, ++unacked);
        });
        client.on('packetsend', (p) => {
          if (p.cmd === 'puback') unacked--;
        });
        const closes: unknown[] = [];
        client.on('close', (r) => closes.push(r));
        await Promise.all([client.connect(), publisher.connect()]);
        await client.subscribe('slow/t', { qos: 1 });
        for (let i = 0; i < 8; i++) await publisher.publish('slow/t', String(i), { qos: 1 });
        const seen: string[] = [];
        for await (const m of client.messages('slow/t')) {
          seen.push(text(m.payload));
          await sleep(200); // a slow consumer: 1.6 s in all, longer than the keepalive
          if (seen.length === 8) break;
        }
        expect(seen).toEqual(['0', '1', '2', '3', '4', '5', '6', '7']);
        // The broker stopped at our Receive Maximum until the loop released an ack...
        const firstAck = wire.findIndex((w) => w.startsWith('s:puback'));
        expect(wire.slice(0, firstAck).filter((w) => w.startsWith('r:publish'))).toHaveLength(2);
        // ...and kept pace with the loop after that: the last message came only after several acks
        // (mosquitto 2.0.11 refills two at a time, so the peak is a little above 2, far below 8).
        const lastPublish = wire.indexOf('r:publish:8');
        expect(
          wire.slice(0, lastPublish).filter((w) => w.startsWith('s:puback')).length,
        ).toBeGreaterThanOrEqual(3);
        expect(peak).toBeLessThan(8);
        // 1.6 s of slow handling with a 1 s keepalive: the link never died.
        expect(closes).toEqual([]);
        expect(client.state).toBe('connected');
      } finally {
        await publisher.end({ force: true });
        await client?.end({ force: true });
        await mosquitto.close();
      }
    },
  );
});
