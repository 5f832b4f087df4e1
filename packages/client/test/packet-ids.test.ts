import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPacketIdAllocator, MAX_PACKET_ID } from '../src/packet-ids.js';

describe('createPacketIdAllocator', () => {
  it('hands out 1, 2, 3... and counts them', () => {
    const ids = createPacketIdAllocator();
    expect([ids.allocate(), ids.allocate(), ids.allocate()]).toEqual([1, 2, 3]);
    expect(ids.inUse).toBe(3);
    expect(ids.isInUse(2)).toBe(true);
    expect(ids.isInUse(4)).toBe(false);
  });

  it('does not reuse a just-released id at once (round robin)', () => {
    const ids = createPacketIdAllocator();
    ids.allocate();
    const two = ids.allocate()!;
    ids.allocate();
    ids.release(two);
    expect(ids.isInUse(two)).toBe(false);
    expect(ids.inUse).toBe(2);
    expect(ids.allocate()).toBe(4);
  });

  it('uses every id 1..65535 once, then reports exhaustion, then reuses a freed one', () => {
    const ids = createPacketIdAllocator();
    const seen = new Set<number>();
    // One expect per id would dominate the run time: collect, then assert once.
    for (let i = 0; i < MAX_PACKET_ID; i++) seen.add(ids.allocate() ?? 0);
    expect(seen.size).toBe(MAX_PACKET_ID);
    expect(Math.min(...seen)).toBe(1);
    expect(Math.max(...seen)).toBe(MAX_PACKET_ID);
    expect(seen.has(0)).toBe(false);
    expect(ids.inUse).toBe(MAX_PACKET_ID);
    expect(ids.allocate()).toBeUndefined();
    expect(ids.allocate()).toBeUndefined();
    ids.release(777);
    expect(ids.allocate()).toBe(777);
    expect(ids.allocate()).toBeUndefined();
  });

  it('wraps around after 65535, skipping ids still in flight', () => {
    const ids = createPacketIdAllocator();
    for (let i = 0; i < MAX_PACKET_ID; i++) ids.allocate();
    // Everything done except 1 and 3.
    for (let id = 4; id <= MAX_PACKET_ID; id++) ids.release(id);
    ids.release(2);
    expect(ids.allocate()).toBe(2);
    expect(ids.allocate()).toBe(4);
  });

  it('reserves restored ids so they are never allocated, idempotently', () => {
    const ids = createPacketIdAllocator();
    ids.reserve(2);
    ids.reserve(3);
    ids.reserve(3);
    expect(ids.inUse).toBe(2);
    expect([ids.allocate(), ids.allocate(), ids.allocate()]).toEqual([1, 4, 5]);
    ids.release(3);
    expect(ids.inUse).toBe(4);
    ids.reserve(MAX_PACKET_ID);
    expect(ids.isInUse(MAX_PACKET_ID)).toBe(true);
  });

  it.each([0, -1, 65_536, 1.5, Number.NaN])('refuses to reserve %s', (id) => {
    const ids = createPacketIdAllocator();
    expect(() => ids.reserve(id)).toThrow(RangeError);
    expect(ids.inUse).toBe(0);
  });

  it('ignores releases of ids not in use or out of range (a duplicate ack)', () => {
    const ids = createPacketIdAllocator();
    ids.allocate();
    for (const id of [1, 1, 2, 0, -3, 65_536, 2.5, Number.NaN]) ids.release(id);
    expect(ids.inUse).toBe(0);
    expect(ids.isInUse(0)).toBe(false);
    expect(ids.isInUse(65_536)).toBe(false);
    expect(ids.allocate()).toBe(2);
  });

  it('behaves like a model over random operation sequences', () => {
    type Op =
      | { type: 'allocate' }
      | { type: 'release'; pick: number }
      | { type: 'reserve'; id: number };
    const op: fc.Arbitrary<Op> = fc.oneof(
      { weight: 5, arbitrary: fc.constant({ type: 'allocate' as const }) },
      {
        weight: 3,
        arbitrary: fc.nat().map((pick) => ({ type: 'release' as const, pick })),
      },
      {
        weight: 1,
        arbitrary: fc
          .oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: MAX_PACKET_ID }))
          .map((id) => ({ type: 'reserve' as const, id })),
      },
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const ids = createPacketIdAllocator();
        const model = new Set<number>();
        let last = 0; // the last id allocate returned
        for (const o of ops) {
          if (o.type === 'allocate') {
            const id = ids.allocate()!;
            expect(id).toBeGreaterThanOrEqual(1);
            expect(id).toBeLessThanOrEqual(MAX_PACKET_ID);
            expect(model.has(id)).toBe(false);
            // Round robin: the first free id after the previous allocation.
            let expected = last === MAX_PACKET_ID ? 1 : last + 1;
            while (model.has(expected)) expected = expected === MAX_PACKET_ID ? 1 : expected + 1;
            expect(id).toBe(expected);
            model.add(id);
            last = id;
          } else if (o.type === 'release') {
            const inUse = [...model];
            const id = inUse.length === 0 ? o.pick : inUse[o.pick % inUse.length]!;
            ids.release(id);
            model.delete(id);
          } else {
            ids.reserve(o.id);
            model.add(o.id);
          }
          expect(ids.inUse).toBe(model.size);
        }
        for (const id of model) expect(ids.isInUse(id)).toBe(true);
      }),
    );
  });
});
