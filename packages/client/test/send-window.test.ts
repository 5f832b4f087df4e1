import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSendWindow, DEFAULT_RECEIVE_MAXIMUM } from '../src/send-window.js';

describe('createSendWindow', () => {
  it('admits the largest Receive Maximum', () => {
    const w = createSendWindow(DEFAULT_RECEIVE_MAXIMUM);
    let admitted = 0;
    while (admitted <= DEFAULT_RECEIVE_MAXIMUM && w.tryAcquire()) admitted++;
    expect(admitted).toBe(65_535);
  });

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

  it('keeps 0 <= inFlight and only admits below the maximum, for any sequence', () => {
    const op = fc.constantFrom<'acquire' | 'release'>('acquire', 'release');
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.array(op, { maxLength: 200 }), (m, ops) => {
        const w = createSendWindow(m);
        let model = 0;
        for (const o of ops) {
          if (o === 'acquire') {
            const admitted = w.tryAcquire();
            expect(admitted).toBe(model < m);
            if (admitted) model++;
          } else {
            w.release();
            model = Math.max(0, model - 1);
          }
          expect(w.inFlight).toBe(model);
          expect(w.inFlight).toBeGreaterThanOrEqual(0);
        }
      }),
    );
  });
});
