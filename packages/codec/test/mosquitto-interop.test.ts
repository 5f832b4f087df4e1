import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { hasMosquitto, type MosquittoHandle, startMosquitto } from '@mqttkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CodecError, createDecoder, encode, type Packet } from '../src/index.js';

// The codec against an independent implementation: every byte here is produced and judged by
// a real mosquitto, not by mqtt-packet's own parser.

interface WireClient {
  send(packet: Packet): void;
  next<C extends Packet['cmd']>(cmd: C): Promise<Extract<Packet, { cmd: C }>>;
  close(): void;
}

async function wireClient(port: number, protocolVersion: 4 | 5): Promise<WireClient> {
  const socket: Socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  const inbox: Packet[] = [];
  const waiters: Array<() => void> = [];
  let failure: CodecError | undefined;
  const decoder = createDecoder({
    protocolVersion,
    onPacket(packet) {
      inbox.push(packet);
      for (const wake of waiters.splice(0)) wake();
    },
    onError(error) {
      failure = error;
    },
  });
  socket.on('data', (chunk) => decoder.push(chunk));
  return {
    send: (packet) => socket.write(encode(packet, { protocolVersion })),
    async next(cmd) {
      const deadline = Date.now() + 3000;
      for (;;) {
        if (failure) throw failure;
        const index = inbox.findIndex((p) => p.cmd === cmd);
        if (index >= 0) return inbox.splice(index, 1)[0] as never;
        if (Date.now() > deadline) throw new Error(`no ${cmd} within 3 s`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
    },
    close: () => socket.destroy(),
  };
}

const text = (s: string) => new TextEncoder().encode(s);

describe.skipIf(!hasMosquitto)('codec against mosquitto', () => {
  let broker: MosquittoHandle;
  beforeAll(async () => {
    broker = await startMosquitto();
  }, 10_000);
  afterAll(async () => {
    await broker?.close();
  });

  it('MQTT 5: CONNECT properties, QoS 1 and 2 with properties, subscription ids, UNSUBACK 0x11', async () => {
    const c = await wireClient(broker.port, 5);
    c.send({
      cmd: 'connect',
      clientId: 'codec-v5',
      clean: true,
      keepalive: 30,
      properties: {
        sessionExpiryInterval: 0,
        receiveMaximum: 20,
        topicAliasMaximum: 5,
        userProperties: { app: 'interop' },
      },
    });
    const connack = await c.next('connack');
    expect(connack.reasonCode).toBe(0);
    expect(connack.sessionPresent).toBe(false);

    c.send({
      cmd: 'subscribe',
      packetId: 1,
      subscriptions: [{ topicFilter: 'interop/+', qos: 2 }],
      properties: { subscriptionIdentifier: 7 },
    });
    expect((await c.next('suback')).reasonCodes).toEqual([2]);

    c.send({
      cmd: 'publish',
      topic: 'interop/a',
      payload: text('hello'),
      qos: 1,
      retain: false,
      dup: false,
      packetId: 2,
      properties: {
        topicAlias: 1,
        contentType: 'text/plain',
        responseTopic: 'interop/reply',
        correlationData: text('corr-1'),
        userProperties: { k: ['v1', 'v2'] },
        payloadFormatIndicator: true,
        messageExpiryInterval: 60,
      },
    });
    const puback = await c.next('puback');
    expect(puback.packetId).toBe(2);
    const delivered = await c.next('publish');
    expect(delivered.topic).toBe('interop/a');
    expect(new TextDecoder().decode(delivered.payload)).toBe('hello');
    expect(delivered.properties?.contentType).toBe('text/plain');
    expect(delivered.properties?.responseTopic).toBe('interop/reply');
    expect(new TextDecoder().decode(delivered.properties?.correlationData)).toBe('corr-1');
    expect(delivered.properties?.userProperties).toEqual({ k: ['v1', 'v2'] });
    expect(delivered.properties?.subscriptionIdentifiers).toEqual([7]);
    c.send({ cmd: 'puback', packetId: delivered.packetId!, reasonCode: 0 });

    // A later publish reuses the alias with an empty topic [MQTT-3.3.2-12].
    c.send({
      cmd: 'publish',
      topic: '',
      payload: text('again'),
      qos: 2,
      retain: false,
      dup: false,
      packetId: 3,
      properties: { topicAlias: 1 },
    });
    expect((await c.next('pubrec')).packetId).toBe(3);
    c.send({ cmd: 'pubrel', packetId: 3, reasonCode: 0 });
    expect((await c.next('pubcomp')).packetId).toBe(3);
    const second = await c.next('publish');
    expect(second.topic).toBe('interop/a');
    expect(second.qos).toBe(2);
    c.send({ cmd: 'pubrec', packetId: second.packetId!, reasonCode: 0 });
    expect((await c.next('pubrel')).packetId).toBe(second.packetId);
    c.send({ cmd: 'pubcomp', packetId: second.packetId!, reasonCode: 0 });

    c.send({ cmd: 'unsubscribe', packetId: 4, topicFilters: ['interop/+'] });
    expect((await c.next('unsuback')).reasonCodes).toEqual([0]);
    c.send({ cmd: 'unsubscribe', packetId: 5, topicFilters: ['interop/+'] });
    expect((await c.next('unsuback')).reasonCodes).toEqual([0x11]);

    c.send({ cmd: 'pingreq' });
    await c.next('pingresp');
    c.send({ cmd: 'disconnect', reasonCode: 0 });
    c.close();
  });

  it('MQTT 3.1.1: QoS 2 round trip and a retained message', async () => {
    const c = await wireClient(broker.port, 4);
    c.send({ cmd: 'connect', clientId: 'codec-v4', clean: true, keepalive: 30 });
    expect((await c.next('connack')).reasonCode).toBe(0);
    c.send({
      cmd: 'publish',
      topic: 'interop4/retained',
      payload: text('kept'),
      qos: 1,
      retain: true,
      dup: false,
      packetId: 1,
    });
    await c.next('puback');
    c.send({
      cmd: 'subscribe',
      packetId: 2,
      subscriptions: [{ topicFilter: 'interop4/#', qos: 2 }],
    });
    expect((await c.next('suback')).reasonCodes).toEqual([2]);
    const retained = await c.next('publish');
    expect(retained.retain).toBe(true);
    expect(new TextDecoder().decode(retained.payload)).toBe('kept');
    c.send({ cmd: 'puback', packetId: retained.packetId! });

    c.send({
      cmd: 'publish',
      topic: 'interop4/x',
      payload: new Uint8Array(70_000).fill(7),
      qos: 2,
      retain: false,
      dup: false,
      packetId: 3,
    });
    await c.next('pubrec');
    c.send({ cmd: 'pubrel', packetId: 3 });
    await c.next('pubcomp');
    const delivered = await c.next('publish');
    expect(delivered.qos).toBe(2);
    expect(delivered.payload.length).toBe(70_000);
    expect(delivered.payload.every((b) => b === 7)).toBe(true);
    c.send({ cmd: 'pubrec', packetId: delivered.packetId! });
    expect((await c.next('pubrel')).packetId).toBe(delivered.packetId);
    c.send({ cmd: 'pubcomp', packetId: delivered.packetId! });
    c.send({ cmd: 'disconnect' });
    c.close();
  });
});
