import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasMosquittoDynsec, type MosquittoHandle, startMosquittoWithAcl } from '../src/index.js';
import {
  ackCodes,
  connackCode,
  connectPacket,
  pubAck,
  publishOf,
  publishPacket,
  RawClient,
  subscribePacket,
  unsubscribePacket,
  type Version,
} from './raw-mqtt.js';

const ALICE = { username: 'alice', password: 'alice-pw' };
const WATCHER = { username: 'watcher', password: 'watcher-pw' };

const PUBACK = 4;
const PUBREC = 5;
const SUBACK = 9;
const UNSUBACK = 11;

describe.skipIf(!hasMosquittoDynsec)('startMosquittoWithAcl', () => {
  let broker: MosquittoHandle;
  const opened: RawClient[] = [];

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

  afterAll(async () => {
    for (const c of opened) c.close();
    await broker?.close();
  });

  async function session(
    v: Version,
    clientId: string,
    auth?: { username: string; password: string },
  ): Promise<{ client: RawClient; code: number }> {
    const client = await RawClient.open(broker.port);
    opened.push(client);
    client.send(connectPacket(v, clientId, auth));
    return { client, code: connackCode(await client.next()) };
  }

  async function connected(v: Version, clientId: string, auth = ALICE): Promise<RawClient> {
    const { client, code } = await session(v, clientId, auth);
    expect(code).toBe(0);
    return client;
  }

  it('refuses anonymous clients and wrong passwords', async () => {
    // mosquitto answers both with "not authorized": 0x05 under 3.1.1, 0x87 under 5.0 (not 0x04/0x86)
    expect((await session(4, 'anon4')).code).toBe(0x05);
    expect((await session(5, 'anon5')).code).toBe(0x87);
    const wrong = { username: 'alice', password: 'nope' };
    expect((await session(4, 'wrong4', wrong)).code).toBe(0x05);
    expect((await session(5, 'wrong5', wrong)).code).toBe(0x87);
  });

  it('3.1.1: SUBACK 0x80 per refused filter, granted QoS for the others', async () => {
    const c = await connected(4, 'sub4');
    c.send(
      subscribePacket(4, 7, [
        ['ok/a', 1],
        ['no/a', 0],
        ['ok/secret', 1],
        ['ok/b', 2],
      ]),
    );
    const p = await c.next();
    expect(p.type).toBe(SUBACK);
    expect(ackCodes(4, p)).toEqual({ packetId: 7, codes: [0x01, 0x80, 0x80, 0x02] });
    // the connection is still usable: an allowed publish comes back through the granted filter
    c.send(publishPacket(4, 'ok/a', 'hello', 1, 8));
    const got = [await c.next(), await c.next()];
    const ack = got.find((x) => x.type === PUBACK);
    const msg = got.find((x) => x.type === 3);
    expect(ack && pubAck(ack)).toEqual({ type: PUBACK, packetId: 8, reasonCode: 0 });
    expect(msg && publishOf(4, msg)).toEqual({ topic: 'ok/a', payload: 'hello' });
  });

  it('3.1.1: a denied publish is acknowledged and dropped', async () => {
    const watcher = await connected(4, 'watch4', WATCHER);
    watcher.send(subscribePacket(4, 1, [['#', 0]]));
    expect(ackCodes(4, await watcher.next()).codes).toEqual([0]);

    const c = await connected(4, 'pub4');
    c.send(publishPacket(4, 'no/x', 'denied', 1, 1));
    // 3.1.1 PUBACK has no reason code: the refusal is invisible to the publisher
    expect(pubAck(await c.next())).toEqual({ type: PUBACK, packetId: 1, reasonCode: 0 });
    c.send(publishPacket(4, 'ok/x', 'allowed', 1, 2));
    expect(pubAck(await c.next())).toEqual({ type: PUBACK, packetId: 2, reasonCode: 0 });
    // the watcher sees the allowed message first: the denied one was never forwarded
    expect(publishOf(4, await watcher.next())).toEqual({ topic: 'ok/x', payload: 'allowed' });
  });

  it('5.0: SUBACK 0x87 per refused filter, UNSUBACK 0x11 for a filter not subscribed', async () => {
    const c = await connected(5, 'sub5');
    c.send(
      subscribePacket(5, 3, [
        ['ok/a', 1],
        ['no/a', 0],
        ['ok/secret', 0],
      ]),
    );
    expect(ackCodes(5, await c.next())).toEqual({ packetId: 3, codes: [0x01, 0x87, 0x87] });

    c.send(unsubscribePacket(5, 4, ['ok/a']));
    const first = await c.next();
    expect(first.type).toBe(UNSUBACK);
    expect(ackCodes(5, first)).toEqual({ packetId: 4, codes: [0x00] });
    c.send(unsubscribePacket(5, 5, ['ok/a']));
    expect(ackCodes(5, await c.next())).toEqual({ packetId: 5, codes: [0x11] });
  });

  it('5.0: PUBACK 0x87 and PUBREC 0x87 for a denied publish; allowed ones succeed', async () => {
    const c = await connected(5, 'pub5');
    c.send(subscribePacket(5, 1, [['ok/#', 0]]));
    expect(ackCodes(5, await c.next()).codes).toEqual([0]);

    c.send(publishPacket(5, 'no/x', 'q1', 1, 10));
    expect(pubAck(await c.next())).toEqual({ type: PUBACK, packetId: 10, reasonCode: 0x87 });
    c.send(publishPacket(5, 'no/x', 'q2', 2, 11));
    expect(pubAck(await c.next())).toEqual({ type: PUBREC, packetId: 11, reasonCode: 0x87 });

    c.send(publishPacket(5, 'ok/x', 'fine', 1, 12));
    const got = [await c.next(), await c.next()];
    const ack = got.find((x) => x.type === PUBACK);
    const msg = got.find((x) => x.type === 3);
    expect(ack && pubAck(ack)).toEqual({ type: PUBACK, packetId: 12, reasonCode: 0 });
    expect(msg && publishOf(5, msg)).toEqual({ topic: 'ok/x', payload: 'fine' });
    expect(c.closed).toBe(false);
  });
});
