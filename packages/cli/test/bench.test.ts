import { describe, expect, it } from 'vitest';
import { summarize } from '../src/commands/bench.js';

describe('bench summarize', () => {
  it('rates over first send to last receive, nearest-rank percentiles', () => {
    const latencies = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1 ms, unsorted
    const r = summarize(100, latencies, 1000, 1000, 3000);
    expect(r).toMatchObject({ sent: 100, received: 100, seconds: 2, messagesPerSecond: 50 });
    expect(r.megabytesPerSecond).toBeCloseTo(0.05);
    expect(r.p50Ms).toBe(50);
    expect(r.p99Ms).toBe(99);
    expect(r.maxMs).toBe(100);
  });

  it('nothing received: zero rates, no percentiles', () => {
    const r = summarize(10, [], 64, 0, 0);
    expect(r).toMatchObject({
      received: 0,
      seconds: 0,
      messagesPerSecond: 0,
      megabytesPerSecond: 0,
    });
    expect(r.p50Ms).toBeNaN();
  });

  it('one message: p50 = p99 = max', () => {
    const r = summarize(1, [7.5], 8, 0, 10);
    expect([r.p50Ms, r.p99Ms, r.maxMs]).toEqual([7.5, 7.5, 7.5]);
  });
});
