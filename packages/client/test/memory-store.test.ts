import type { PublishPacket } from '@mqttkit/codec';
import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { createMemoryStore } from '../src/memory-store.js';
import type { InflightEntry, InflightStore } from '../src/store.js';

const publish = (packetId: number, qos: 1 | 2 = 1): PublishPacket => ({
  cmd: 'publish',
  topic: `t/${packetId}`,
  payload: new Uint8Array([packetId & 0xff]),
  qos,
  retain: false,
  dup: false,
  packetId,
});
const pub = (id: number, qos: 1 | 2 = 1): InflightEntry => ({
  kind: 'publish',
  packet: publish(id, qos),
});
const rel = (id: number): InflightEntry => ({ kind: 'pubrel', packetId: id });

/** The memory store answers synchronously; the interface allows promises. */
const list = (s: InflightStore) => [...(s.entries() as Iterable<[number, InflightEntry]>)];

describe('createMemoryStore', () => {
  it('lists entries in send order', () => {
    const s = createMemoryStore();
    s.put(7, pub(7));
    s.put(3, pub(3, 2));
    s.put(9, pub(9));
    expect(list(s).map(([id]) => id)).toEqual([7, 3, 9]);
    expect(list(s)[1]![1]).toEqual(pub(3, 2));
  });

  it('keeps the place of a QoS 2 flow moving from publish to pubrel', () => {
    const s = createMemoryStore();
    s.put(1, pub(1, 2));
    s.put(2, pub(2));
    s.put(1, rel(1));
    expect(list(s)).toEqual([
      [1, rel(1)],
      [2, pub(2)],
    ]);
  });

  it('deletes (unknown ids included) and clears', () => {
    const s = createMemoryStore();
    s.put(1, pub(1));
    s.put(2, pub(2));
    s.delete(1);
    s.delete(42);
    expect(list(s).map(([id]) => id)).toEqual([2]);
    // A deleted id put again is a new flow: it goes to the end.
    s.put(1, pub(1));
    expect(list(s).map(([id]) => id)).toEqual([2, 1]);
    s.clear();
    expect(list(s)).toEqual([]);
  });

  it('returns a snapshot, so a resend loop may delete and put while iterating', () => {
    const s = createMemoryStore();
    s.put(1, pub(1, 2));
    s.put(2, pub(2));
    const seen: number[] = [];
    for (const [id] of list(s)) {
      seen.push(id);
      s.delete(id);
      s.put(id + 100, pub(id + 100));
    }
    expect(seen).toEqual([1, 2]);
    expect(list(s).map(([id]) => id)).toEqual([101, 102]);
  });

  it('answers synchronously', () => {
    const s = createMemoryStore();
    expect(s.put(1, pub(1))).toBeUndefined();
    expect(Array.isArray(s.entries())).toBe(true);
  });

  it.each<[string, number, InflightEntry]>([
    ['id 0', 0, pub(0)],
    ['id above 65535', 65_536, rel(65_536)],
    ['a QoS 0 publish', 5, { kind: 'publish', packet: { ...publish(5), qos: 0 } }],
    ['a publish under another id', 5, pub(6)],
    [
      'a publish with no packetId',
      5,
      { kind: 'publish', packet: { ...publish(5), packetId: undefined } },
    ],
    ['a pubrel under another id', 5, rel(6)],
  ])('refuses %s', (_name, id, entry) => {
    const s = createMemoryStore();
    expect(() => s.put(id, entry)).toThrow(RangeError);
    expect(list(s)).toEqual([]);
  });

  it('keeps first-put order under any sequence of puts and deletes', () => {
    const op = fc.record({
      put: fc.boolean(),
      id: fc.integer({ min: 1, max: 12 }),
      pubrel: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 100 }), (ops) => {
        const s = createMemoryStore();
        const order: number[] = [];
        const value = new Map<number, InflightEntry>();
        for (const o of ops) {
          if (o.put) {
            const entry = o.pubrel ? rel(o.id) : pub(o.id, 2);
            s.put(o.id, entry);
            if (!value.has(o.id)) order.push(o.id);
            value.set(o.id, entry);
          } else {
            s.delete(o.id);
            if (value.delete(o.id)) order.splice(order.indexOf(o.id), 1);
          }
        }
        expect(list(s)).toEqual(order.map((id) => [id, value.get(id)]));
      }),
    );
  });

  it('has the typed shape core relies on', () => {
    expectTypeOf(createMemoryStore).returns.toEqualTypeOf<InflightStore>();
    expectTypeOf<Extract<InflightEntry, { kind: 'pubrel' }>>().toEqualTypeOf<{
      kind: 'pubrel';
      packetId: number;
    }>();
    expectTypeOf<
      Extract<InflightEntry, { kind: 'publish' }>['packet']
    >().toEqualTypeOf<PublishPacket>();
  });
});
