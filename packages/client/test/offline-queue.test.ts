import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createOfflineQueue,
  DEFAULT_QUEUE_OPTIONS,
  type OverflowPolicy,
  QueueFullError,
  type QueueOptions,
} from '../src/offline-queue.js';

interface Item {
  n: number;
  size: number;
}
const item = (n: number, size = 1): Item => ({ n, size });
const sizeOf = (i: Item) => i.size;

describe('createOfflineQueue', () => {
  it('defaults to 1000 messages, reject-new', () => {
    expect(DEFAULT_QUEUE_OPTIONS).toEqual({ maxMessages: 1000, overflow: 'reject-new' });
    const q = createOfflineQueue(DEFAULT_QUEUE_OPTIONS, sizeOf);
    for (let i = 0; i < 1000; i++) expect(q.push(item(i)).accepted).toBe(true);
    expect(q.push(item(1000))).toEqual({ accepted: false });
    expect(q.length).toBe(1000);
  });

  it('is first in, first out, across ring growth and wrap-around', () => {
    const q = createOfflineQueue<number>({ maxMessages: 100, overflow: 'reject-new' }, () => 1);
    const out: number[] = [];
    let next = 0;
    // Interleave so the head moves while the ring grows past its initial 16 slots.
    for (let round = 0; round < 10; round++) {
      for (let i = 0; i < 7; i++) q.push(next++);
      for (let i = 0; i < 3; i++) out.push(q.shift()!);
    }
    out.push(...q.drain());
    expect(out).toEqual(Array.from({ length: 70 }, (_, i) => i));
    expect(q.length).toBe(0);
    expect(q.bytes).toBe(0);
    expect(q.shift()).toBeUndefined();
  });

  it('tracks bytes and measures each item once', () => {
    let calls = 0;
    const q = createOfflineQueue<Item>({ maxMessages: 10, overflow: 'reject-new' }, (i) => {
      calls++;
      return i.size;
    });
    const a = item(1, 10);
    q.push(a);
    q.push(item(2, 5));
    a.size = 999; // later changes do not corrupt the running total
    expect(q.bytes).toBe(15);
    expect(q.shift()).toBe(a);
    expect(q.bytes).toBe(5);
    expect(calls).toBe(2);
  });

  it('reject-new: refuses at maxMessages or maxBytes and keeps what was queued', () => {
    const q = createOfflineQueue({ maxMessages: 3, maxBytes: 10, overflow: 'reject-new' }, sizeOf);
    expect(q.push(item(1, 4))).toEqual({ accepted: true });
    expect(q.push(item(2, 4))).toEqual({ accepted: true });
    expect(q.push(item(3, 4))).toEqual({ accepted: false }); // 12 bytes > 10
    expect(q.push(item(4, 2))).toEqual({ accepted: true });
    expect(q.push(item(5, 0))).toEqual({ accepted: false }); // 4 messages > 3
    expect(q.drain().map((i) => i.n)).toEqual([1, 2, 4]);
  });

  it('drop-oldest: evicts the oldest item and hands it back', () => {
    const q = createOfflineQueue({ maxMessages: 2, overflow: 'drop-oldest' }, sizeOf);
    const [a, b, c] = [item(1), item(2), item(3)];
    q.push(a);
    q.push(b);
    const r = q.push(c);
    expect(r).toEqual({ accepted: true, dropped: [a] });
    expect(q.drain()).toEqual([b, c]);
  });

  it('drop-oldest: evicts as many as a byte bound needs, oldest first', () => {
    const q = createOfflineQueue(
      { maxMessages: 10, maxBytes: 10, overflow: 'drop-oldest' },
      sizeOf,
    );
    const small = [item(1, 3), item(2, 3), item(3, 3)];
    for (const s of small) q.push(s);
    const big = item(4, 8);
    expect(q.push(big)).toEqual({ accepted: true, dropped: [small[0], small[1], small[2]] });
    expect(q.bytes).toBe(8);
    expect(q.drain()).toEqual([big]);
  });

  it.each<OverflowPolicy>(['reject-new', 'drop-oldest'])(
    '%s: refuses an item that can never fit without evicting anything',
    (overflow) => {
      const q = createOfflineQueue({ maxMessages: 5, maxBytes: 10, overflow }, sizeOf);
      q.push(item(1, 2));
      expect(q.push(item(2, 11))).toEqual({ accepted: false });
      expect(q.length).toBe(1);
      const off = createOfflineQueue({ maxMessages: 0, overflow }, sizeOf);
      expect(off.push(item(1, 0))).toEqual({ accepted: false });
      expect(off.length).toBe(0);
    },
  );

  it('removes an item from anywhere (an aborted operation)', () => {
    const q = createOfflineQueue<Item>({ maxMessages: 50, overflow: 'reject-new' }, sizeOf);
    const items = Array.from({ length: 20 }, (_, i) => item(i, i));
    // Move the head so the live range wraps around the ring.
    for (let i = 0; i < 14; i++) q.push(item(-1, 0));
    for (let i = 0; i < 14; i++) q.shift();
    for (const i of items) q.push(i);
    expect(q.remove(items[0]!)).toBe(true);
    expect(q.remove(items[10]!)).toBe(true);
    expect(q.remove(items[19]!)).toBe(true);
    expect(q.remove(items[10]!)).toBe(false);
    expect(q.remove(item(99))).toBe(false);
    expect(q.length).toBe(17);
    expect(q.bytes).toBe(190 - 0 - 10 - 19);
    expect(q.drain().map((i) => i.n)).toEqual(
      Array.from({ length: 20 }, (_, i) => i).filter((n) => n !== 0 && n !== 10 && n !== 19),
    );
  });

  it('QueueFullError has a stable code and says whether the item was dropped', () => {
    const refused = new QueueFullError();
    const dropped = new QueueFullError(true);
    expect(refused.code).toBe('MQTTKIT_ERR_QUEUE_FULL');
    expect(refused.dropped).toBe(false);
    expect(dropped.dropped).toBe(true);
    expect(refused).toBeInstanceOf(Error);
    expect(refused.name).toBe('QueueFullError');
    expect(dropped.message).toMatch(/dropped/);
  });

  it('matches an array model for any sequence of operations and limits', () => {
    type Op =
      | { type: 'push'; size: number }
      | { type: 'shift' }
      | { type: 'remove'; pick: number }
      | { type: 'drain' };
    const op: fc.Arbitrary<Op> = fc.oneof(
      {
        weight: 6,
        arbitrary: fc.integer({ min: 0, max: 6 }).map((size) => ({ type: 'push' as const, size })),
      },
      { weight: 3, arbitrary: fc.constant({ type: 'shift' as const }) },
      { weight: 1, arbitrary: fc.nat().map((pick) => ({ type: 'remove' as const, pick })) },
      { weight: 1, arbitrary: fc.constant({ type: 'drain' as const }) },
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined }),
        fc.constantFrom<OverflowPolicy>('reject-new', 'drop-oldest'),
        fc.array(op, { maxLength: 200 }),
        (maxMessages, maxBytes, overflow, ops) => {
          const options: QueueOptions =
            maxBytes === undefined
              ? { maxMessages, overflow }
              : { maxMessages, maxBytes, overflow };
          const q = createOfflineQueue(options, sizeOf);
          const model: Item[] = [];
          const limitBytes = maxBytes ?? Number.POSITIVE_INFINITY;
          const total = () => model.reduce((s, i) => s + i.size, 0);
          let n = 0;
          for (const o of ops) {
            if (o.type === 'push') {
              const it = item(n++, o.size);
              const r = q.push(it);
              const fits = () => model.length < maxMessages && total() + it.size <= limitBytes;
              if (
                maxMessages === 0 ||
                it.size > limitBytes ||
                (!fits() && overflow === 'reject-new')
              ) {
                expect(r).toEqual({ accepted: false });
              } else {
                const dropped: Item[] = [];
                while (!fits()) dropped.push(model.shift()!);
                model.push(it);
                expect(r).toEqual(
                  dropped.length ? { accepted: true, dropped } : { accepted: true },
                );
              }
            } else if (o.type === 'shift') {
              expect(q.shift()).toBe(model.shift());
            } else if (o.type === 'remove') {
              const target = model.length ? model[o.pick % model.length]! : item(-1);
              expect(q.remove(target)).toBe(model.includes(target));
              const at = model.indexOf(target);
              if (at >= 0) model.splice(at, 1);
            } else {
              expect(q.drain()).toEqual(model.splice(0));
            }
            expect(q.length).toBe(model.length);
            expect(q.bytes).toBe(total());
            expect(q.length).toBeLessThanOrEqual(maxMessages);
            expect(q.bytes).toBeLessThanOrEqual(limitBytes);
          }
        },
      ),
    );
  });
});
