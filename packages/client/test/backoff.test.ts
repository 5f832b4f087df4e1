import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type BackoffPolicy,
  backoffDelay,
  DEFAULT_BACKOFF,
  InvalidBackoffError,
  MAX_BACKOFF_DELAY_MS,
  validateBackoffPolicy,
} from '../src/backoff.js';

const none = (p: Partial<BackoffPolicy> = {}): BackoffPolicy => ({
  ...DEFAULT_BACKOFF,
  jitter: 'none',
  ...p,
});
const fixed = (r: number) => () => r;

/** Deterministic PRNG (mulberry32) so the spread test is reproducible. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const policyArb: fc.Arbitrary<BackoffPolicy> = fc
  .record({
    initialDelayMs: fc.integer({ min: 0, max: 100_000 }),
    extra: fc.integer({ min: 0, max: MAX_BACKOFF_DELAY_MS - 100_000 }),
    multiplier: fc.double({ min: 1, max: 10, noNaN: true }),
    jitter: fc.constantFrom<'full' | 'none'>('full', 'none'),
  })
  .map(({ initialDelayMs, extra, multiplier, jitter }) => ({
    initialDelayMs,
    maxDelayMs: initialDelayMs + extra,
    multiplier,
    jitter,
  }));

describe('DEFAULT_BACKOFF', () => {
  it('is 1 s doubling to 30 s with full jitter, valid and frozen', () => {
    expect(DEFAULT_BACKOFF).toEqual({
      initialDelayMs: 1000,
      maxDelayMs: 30_000,
      multiplier: 2,
      jitter: 'full',
    });
    expect(() => validateBackoffPolicy(DEFAULT_BACKOFF)).not.toThrow();
    expect(Object.isFrozen(DEFAULT_BACKOFF)).toBe(true);
  });
});

describe('backoffDelay without jitter', () => {
  it('grows by the multiplier and saturates at maxDelayMs', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffDelay(none(), n, fixed(0)));
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('uses a fractional multiplier and returns whole ms', () => {
    const p = none({ initialDelayMs: 100, multiplier: 1.5, maxDelayMs: 10_000 });
    expect([1, 2, 3, 4].map((n) => backoffDelay(p, n, fixed(0)))).toEqual([100, 150, 225, 337]);
  });

  it('treats attempts below 1, NaN and fractions as documented', () => {
    const p = none();
    expect(backoffDelay(p, 0, fixed(0))).toBe(1000);
    expect(backoffDelay(p, -7, fixed(0))).toBe(1000);
    expect(backoffDelay(p, Number.NaN, fixed(0))).toBe(1000);
    expect(backoffDelay(p, 2.9, fixed(0))).toBe(2000);
  });

  it('stays finite for huge attempts, including a unit multiplier and a zero delay', () => {
    for (const attempt of [1025, 1e9, Number.MAX_SAFE_INTEGER, Number.POSITIVE_INFINITY]) {
      expect(backoffDelay(none(), attempt, fixed(0))).toBe(30_000);
      expect(backoffDelay(none({ multiplier: 1 }), attempt, fixed(0))).toBe(1000);
      expect(backoffDelay(none({ initialDelayMs: 0 }), attempt, fixed(0))).toBe(0);
    }
  });

  it('matches repeated exact doubling (an independent computation)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1 << 20 }),
        fc.integer({ min: 0, max: 1 << 30 }),
        fc.integer({ min: 1, max: 200 }),
        (initialDelayMs, extra, attempt) => {
          const maxDelayMs = initialDelayMs + extra;
          let expected = initialDelayMs;
          for (let i = 1; i < attempt && expected < maxDelayMs; i++) expected *= 2;
          expected = Math.min(expected, maxDelayMs);
          const p = none({ initialDelayMs, maxDelayMs, multiplier: 2 });
          expect(backoffDelay(p, attempt, fixed(0.5))).toBe(expected);
        },
      ),
    );
  });
});

describe('backoffDelay with full jitter', () => {
  it('is floor(random * ceiling)', () => {
    const p = DEFAULT_BACKOFF;
    expect(backoffDelay(p, 1, fixed(0))).toBe(0);
    expect(backoffDelay(p, 1, fixed(0.5))).toBe(500);
    expect(backoffDelay(p, 3, fixed(0.25))).toBe(1000);
    expect(backoffDelay(p, 1, fixed(0.9999999))).toBe(999);
    expect(backoffDelay(p, 50, fixed(0.5))).toBe(15_000);
  });

  it('never leaves [0, ceiling] or returns NaN for a broken random source', () => {
    for (const r of [
      Number.NaN,
      -1,
      -0,
      1,
      2,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
    ]) {
      const d = backoffDelay(DEFAULT_BACKOFF, 2, fixed(r));
      expect(Number.isInteger(d)).toBe(true);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThanOrEqual(2000);
    }
  });

  it('spreads many clients over the window instead of a thundering herd', () => {
    const random = seeded(42);
    const delays = Array.from({ length: 1000 }, () => backoffDelay(DEFAULT_BACKOFF, 5, random));
    expect(new Set(delays).size).toBeGreaterThan(900);
    expect(Math.min(...delays)).toBeLessThan(1000);
    expect(Math.max(...delays)).toBeGreaterThan(15_000);
    expect(Math.max(...delays)).toBeLessThan(16_000);
  });

  it('is an integer in [0, min(maxDelayMs, ceiling)] for any valid policy and attempt', () => {
    fc.assert(
      fc.property(
        policyArb,
        fc.oneof(fc.integer({ min: -5, max: 100 }), fc.integer({ min: 100, max: 2 ** 31 })),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (policy, attempt, r) => {
          validateBackoffPolicy(policy);
          const d = backoffDelay(policy, attempt, fixed(r));
          expect(Number.isInteger(d)).toBe(true);
          expect(d).toBeGreaterThanOrEqual(0);
          expect(d).toBeLessThanOrEqual(policy.maxDelayMs);
          // Never above the no-jitter value of the same attempt.
          expect(d).toBeLessThanOrEqual(
            backoffDelay({ ...policy, jitter: 'none' }, attempt, fixed(r)),
          );
        },
      ),
    );
  });

  it('has a non-decreasing ceiling as attempts grow', () => {
    fc.assert(
      fc.property(policyArb, fc.integer({ min: 1, max: 5000 }), (policy, attempt) => {
        const p = { ...policy, jitter: 'none' as const };
        expect(backoffDelay(p, attempt + 1, fixed(0))).toBeGreaterThanOrEqual(
          backoffDelay(p, attempt, fixed(0)),
        );
      }),
    );
  });
});

describe('validateBackoffPolicy', () => {
  const cases: [string, unknown, string][] = [
    ['not an object', null, 'policy'],
    ['a string', 'fast', 'policy'],
    ['negative initial delay', none({ initialDelayMs: -1 }), 'initialDelayMs'],
    ['fractional initial delay', none({ initialDelayMs: 1.5 }), 'initialDelayMs'],
    ['NaN initial delay', none({ initialDelayMs: Number.NaN }), 'initialDelayMs'],
    ['Infinity max delay', none({ maxDelayMs: Number.POSITIVE_INFINITY }), 'maxDelayMs'],
    ['max delay beyond a timer', none({ maxDelayMs: MAX_BACKOFF_DELAY_MS + 1 }), 'maxDelayMs'],
    ['max below initial', none({ initialDelayMs: 5000, maxDelayMs: 4000 }), 'maxDelayMs'],
    ['shrinking multiplier', none({ multiplier: 0.5 }), 'multiplier'],
    ['NaN multiplier', none({ multiplier: Number.NaN }), 'multiplier'],
    ['infinite multiplier', none({ multiplier: Number.POSITIVE_INFINITY }), 'multiplier'],
    ['unknown jitter', { ...DEFAULT_BACKOFF, jitter: 'equal' }, 'jitter'],
    ['missing field', { initialDelayMs: 1, maxDelayMs: 2, jitter: 'none' }, 'multiplier'],
  ];

  it.each(cases)('refuses %s', (_name, policy, field) => {
    let error: unknown;
    try {
      validateBackoffPolicy(policy);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidBackoffError);
    expect(error).toBeInstanceOf(RangeError);
    const e = error as InvalidBackoffError;
    expect(e.code).toBe('MQTTKIT_ERR_INVALID_BACKOFF');
    expect(e.field).toBe(field);
    expect(e.name).toBe('InvalidBackoffError');
    expect(e.message).toContain(field);
  });

  it('accepts the edges: zero delays, multiplier 1, the largest timer delay', () => {
    expect(() =>
      validateBackoffPolicy({ initialDelayMs: 0, maxDelayMs: 0, multiplier: 1, jitter: 'none' }),
    ).not.toThrow();
    expect(() =>
      validateBackoffPolicy(none({ initialDelayMs: 0, maxDelayMs: MAX_BACKOFF_DELAY_MS })),
    ).not.toThrow();
  });
});
