import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSendWindow, DEFAULT_RECEIVE_MAXIMUM } from '../src/send-window.js';

describe('createSendWindow', () => {
  it('admits up to Receive Maximum QoS 1/2 publishes, then blocks until a release', () => {
    const w = createSendWindow(2);
    expect(w.tryAcquire()).toBe(true);
    expect(w.tryAcquire()).toBe(true);
    expect(w.tryAcquire()).toBe(false);
    expect(w.inFlight).toBe(2);
    w.release();
    expect(w.inFlight).toBe(1);
    expect(w.tryAcquire()).toBe(true);
    expect(w.tryAcquire()).toBe(false);
  });

  it('never goes below zero on stray releases', () => {
    const w = createSendWindow(1);
    w.release();
    w.release();
    expect(w.inFlight).toBe(0);
    expect(w.tryAcquire()).toBe(true);
    expect(w.tryAcquire()).toBe(false);
  });

  it('blocks after lowering the maximum below inFlight until enough releases', () => {
    const w = createSendWindow(5);
    for (let i = 0; i < 5; i++) w.tryAcquire();
    w.setMaximum(2);
    expect(w.maximum).toBe(2);
    expect(w.inFlight).toBe(5);
    w.release();
    w.release();
    w.release();
    expect(w.tryAcquire()).toBe(false);
    w.release();
    expect(w.tryAcquire()).toBe(true);
    expect(w.inFlight).toBe(2);
  });

  it('opens at once when the maximum is raised', () => {
    const w = createSendWindow(1);
    w.tryAcquire();
    w.setMaximum(3);
    expect(w.tryAcquire()).toBe(true);
    expect(w.tryAcquire()).toBe(true);
    expect(w.tryAcquire()).toBe(false);
  });

  it('accepts 1..65535 and refuses anything else, leaving the maximum unchanged', () => {
    expect(createSendWindow(DEFAULT_RECEIVE_MAXIMUM).maximum).toBe(65_535);
    for (const bad of [0, -1, 65_536, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => createSendWindow(bad)).toThrow(RangeError);
      const w = createSendWindow(3);
      expect(() => w.setMaximum(bad)).toThrow(RangeError);
      expect(w.maximum).toBe(3);
    }
  });

  it('keeps 0 <= inFlight and only admits below the maximum, for any sequence', () => {
    const op = fc.oneof(
      fc.constant<'acquire' | 'release'>('acquire'),
      fc.constant<'acquire' | 'release'>('release'),
      fc.integer({ min: 1, max: 8 }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.array(op, { maxLength: 200 }), (m, ops) => {
        const w = createSendWindow(m);
        let model = 0;
        let max = m;
        for (const o of ops) {
          if (o === 'acquire') {
            const admitted = w.tryAcquire();
            expect(admitted).toBe(model < max);
            if (admitted) model++;
          } else if (o === 'release') {
            w.release();
            model = Math.max(0, model - 1);
          } else {
            w.setMaximum(o);
            max = o;
          }
          expect(w.inFlight).toBe(model);
          expect(w.inFlight).toBeGreaterThanOrEqual(0);
        }
      }),
    );
  });
});
