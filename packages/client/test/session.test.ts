import { encode, type Packet, type PublishPacket } from '@mqttkit/codec';
import { describe, expect, it } from 'vitest';
import { noopLogger } from '../src/logger.js';
import { createMemoryStore } from '../src/memory-store.js';
import { type PublishOp, type PublishResult, Session } from '../src/session.js';

function session(protocolVersion: 4 | 5 = 5, store = createMemoryStore()): Session {
  return new Session({
    protocolVersion,
    store,
    measure: (p) => encode(p, { protocolVersion }).length,
    logger: noopLogger,
    incomingAliasMaximum: 0,
    outgoingTopicAliases: true,
    resubscribe: true,
  });
}

const link = {
  sessionPresent: false,
  receiveMaximum: 65_535,
  maximumPacketSize: undefined,
  topicAliasMaximum: 0,
};

function op(
  topic: string,
  qos: 0 | 1 | 2,
  payload = 'x',
): { op: PublishOp; result: Promise<PublishResult> } {
  let resolve!: (r: PublishResult) => void;
  let reject!: (e: unknown) => void;
  const result = new Promise<PublishResult>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  result.catch(() => {});
  const packet: PublishPacket = {
    cmd: 'publish',
    topic,
    payload: new TextEncoder().encode(payload),
    qos,
    retain: false,
    dup: false,
  };
  return { op: { kind: 'publish', packet, deferred: { resolve, reject } }, result };
}

const ids = (packets: Packet[]): number[] =>
  packets.flatMap((p) => ('packetId' in p && p.packetId !== undefined ? [p.packetId] : []));

describe('Session (no sockets)', () => {
  it('never has more unacknowledged QoS 1/2 publishes than the broker Receive Maximum', () => {
    const s = session();
    expect(s.connected({ ...link, receiveMaximum: 2 })).toEqual([]);
    const out: Packet[] = [];
    for (let i = 0; i < 5; i++) out.push(...s.publish(op('t', 1).op));
    expect(ids(out)).toEqual([1, 2]);
    // QoS 0 is not held back by the window [MQTT-4.9.0-3].
    expect(s.publish(op('t', 0).op)).toHaveLength(1);
    const after = s.receive({ cmd: 'puback', packetId: 1, reasonCode: 0 });
    expect(ids(after.send)).toEqual([3]);
    expect(s.inflightCount).toBe(2);
    expect(s.waitingCount).toBe(2);
  });

  it('a failure PUBACK rejects that publish with PublishRefusedError and frees its slot', async () => {
    const s = session();
    s.connected({ ...link, receiveMaximum: 1 });
    const a = op('t', 1);
    const b = op('t', 1);
    s.publish(a.op);
    s.publish(b.op);
    const next = s.receive({
      cmd: 'puback',
      packetId: 1,
      reasonCode: 0x87,
      properties: { reasonString: 'denied' },
    });
    await expect(a.result).rejects.toMatchObject({
      code: 'MQTTKIT_ERR_PUBLISH_REFUSED',
      reasonCode: 0x87,
      reasonString: 'denied',
    });
    expect(ids(next.send)).toEqual([2]);
  });

  it('a failure PUBREC ends the QoS 2 flow without PUBREL', async () => {
    const s = session();
    s.connected(link);
    const a = op('t', 2);
    s.publish(a.op);
    const out = s.receive({ cmd: 'pubrec', packetId: 1, reasonCode: 0x97 });
    expect(out.send).toEqual([]);
    await expect(a.result).rejects.toMatchObject({ reasonCode: 0x97 });
    expect(s.inflightCount).toBe(0);
  });

  it('uses outgoing topic aliases within the broker maximum, and full topics again on a new link', () => {
    const s = session();
    s.connected({ ...link, topicAliasMaximum: 1 });
    const [first] = s.publish(op('long/topic/name', 0).op) as PublishPacket[];
    const [second] = s.publish(op('long/topic/name', 0).op) as PublishPacket[];
    expect(first).toMatchObject({ topic: 'long/topic/name', properties: { topicAlias: 1 } });
    expect(second).toMatchObject({ topic: '', properties: { topicAlias: 1 } });
    s.disconnected();
    s.connected({ ...link, topicAliasMaximum: 0 });
    const [third] = s.publish(op('long/topic/name', 0).op) as PublishPacket[];
    expect(third?.topic).toBe('long/topic/name');
    expect(third?.properties?.topicAlias).toBeUndefined();
  });

  it('refuses a packet above the broker Maximum Packet Size without using a packet id', async () => {
    const s = session();
    s.connected({ ...link, maximumPacketSize: 64 });
    const big = op('t', 1, 'y'.repeat(100));
    expect(s.publish(big.op)).toEqual([]);
    await expect(big.result).rejects.toMatchObject({
      code: 'MQTTKIT_ERR_PACKET_TOO_LARGE_FOR_BROKER',
      maximumPacketSize: 64,
    });
    expect(ids(s.publish(op('t', 1).op))).toEqual([1]);
  });

  it('the Maximum Packet Size holds to the byte, with and without the measuring shortcut', async () => {
    for (const [topic, max] of [
      ['tt', 64],
      ['t'.repeat(40), 200],
      ['tópico/ü', 64],
    ] as const) {
      const s = session();
      s.connected({ ...link, maximumPacketSize: max });
      for (let size = 0; size < max; size++) {
        const one = op(topic, 1, 'y'.repeat(size));
        const encoded = encode({ ...one.op.packet, packetId: 1 }, { protocolVersion: 5 }).length;
        const sent = s.publish(one.op);
        if (encoded <= max) {
          expect(sent).toHaveLength(1);
          s.receive({ cmd: 'puback', packetId: ids(sent)[0] as number, reasonCode: 0 });
        } else {
          expect(sent).toEqual([]);
          await expect(one.result).rejects.toMatchObject({ size: encoded, maximumPacketSize: max });
        }
      }
    }
  });

  it('resends in-flight flows with DUP in original order on a present session, PUBREL for those past PUBREC', () => {
    const store = createMemoryStore();
    const s = session(5, store);
    s.connected(link);
    for (let i = 0; i < 4; i++) s.publish(op('t', i % 2 === 0 ? 1 : 2).op);
    s.receive({ cmd: 'pubrec', packetId: 2, reasonCode: 0 });
    s.disconnected();
    const resent = s.connected({ ...link, sessionPresent: true });
    expect(
      resent.map((p) => `${p.cmd}:${ids([p])[0]}:${p.cmd === 'publish' ? p.dup : '-'}`),
    ).toEqual(['publish:1:true', 'pubrel:2:-', 'publish:3:true', 'publish:4:true']);
    expect([...(store.entries() as Iterable<[number, unknown]>)].map(([id]) => id)).toEqual([
      1, 2, 3, 4,
    ]);
  });

  it('keeps in-flight flows on a new session: republished as new messages, past-PUBREC ones complete', async () => {
    const s = session();
    s.connected(link);
    const a = op('t', 1);
    const b = op('t', 2);
    s.publish(a.op);
    s.publish(b.op);
    s.receive({ cmd: 'pubrec', packetId: 2, reasonCode: 0 });
    s.disconnected();
    const out = s.connected({ ...link, sessionPresent: false });
    expect(out.map((p) => p.cmd)).toEqual(['publish']);
    expect(out[0]).toMatchObject({ packetId: 1, dup: false });
    await expect(b.result).resolves.toMatchObject({ reasonCode: 0 });
  });

  it('rejectAll settles every caller and keeps written flows in the store', async () => {
    const store = createMemoryStore();
    const s = session(5, store);
    s.connected(link);
    const written = op('t', 1);
    s.publish(written.op);
    s.disconnected();
    const waiting = op('t', 1);
    s.publish(waiting.op);
    s.rejectAll((w) => Object.assign(new Error('closed'), { written: w }));
    await expect(written.result).rejects.toMatchObject({ written: true });
    await expect(waiting.result).rejects.toMatchObject({ written: false });
    expect([...(store.entries() as Iterable<unknown>)]).toHaveLength(1);
  });

  it('restores flows from a persistent store and reserves their ids', async () => {
    const store = createMemoryStore();
    const packet: PublishPacket = {
      cmd: 'publish',
      topic: 't',
      payload: new Uint8Array(),
      qos: 1,
      retain: false,
      dup: false,
      packetId: 1,
    };
    store.put(1, { kind: 'publish', packet });
    const s = session(5, store);
    await s.restore();
    const out = s.connected({ ...link, sessionPresent: true });
    expect(out).toMatchObject([{ cmd: 'publish', packetId: 1, dup: true }]);
    expect(ids(s.publish(op('t', 1).op))).toEqual([2]);
  });

  it('SUBACK and UNSUBACK with the wrong number of codes are protocol errors', () => {
    const s = session();
    s.connected(link);
    s.sendAckable({
      kind: 'subscribe',
      subscriptions: [
        { topicFilter: 'a', qos: 0 },
        { topicFilter: 'b', qos: 0 },
      ],
      properties: undefined,
      deferred: undefined,
      internal: false,
    });
    expect(s.receive({ cmd: 'suback', packetId: 1, reasonCodes: [0] }).violation).toMatchObject({
      reasonCode: 0x82,
    });
  });

  it('with an asynchronous store, a new flow is written only once stored, in order', async () => {
    const inner = createMemoryStore();
    const resolvers: Array<() => void> = [];
    const store = {
      put: (id: number, entry: Parameters<typeof inner.put>[1]) =>
        new Promise<void>((resolve) => {
          resolvers.push(() => {
            inner.put(id, entry);
            resolve();
          });
        }),
      delete: (id: number) => inner.delete(id),
      entries: () => inner.entries(),
      clear: () => inner.clear(),
    };
    let ready = 0;
    const s = new Session({
      protocolVersion: 5,
      store,
      measure: (p) => encode(p, { protocolVersion: 5 }).length,
      logger: noopLogger,
      incomingAliasMaximum: 0,
      outgoingTopicAliases: false,
      resubscribe: true,
      onPersisted: () => ready++,
    });
    s.connected(link);
    expect(s.publish(op('t', 1).op)).toEqual([]);
    expect(s.publish(op('t', 1).op)).toEqual([]);
    expect(resolvers).toHaveLength(2);
    // The second put resolves first: nothing may overtake the first flow.
    resolvers[1]?.();
    await new Promise((r) => setTimeout(r, 0));
    expect(ready).toBe(1);
    expect(s.resume()).toEqual([]);
    resolvers[0]?.();
    await new Promise((r) => setTimeout(r, 0));
    expect(ids(s.resume())).toEqual([1, 2]);
    expect(s.receive({ cmd: 'puback', packetId: 1, reasonCode: 0 }).send).toEqual([]);
    expect(s.inflightCount).toBe(1);
  });
});
