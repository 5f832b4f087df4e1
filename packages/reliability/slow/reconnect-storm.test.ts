// Scenario 7: a reconnect storm. 1,000 clients lose their broker at once (every link reset in
// the same tick). With full jitter the first retry of each client is uniform over
// [0, initialDelay], so the broker sees the reconnects spread over the window instead of a spike.
// The broker here is a minimal accept-everything script (testkit's hostile broker answering
// CONNECT with CONNACK), so the arrival times measured are the clients' and nothing else's.
import { createClient, type MqttClient } from '@mqttkit/client';
import { type HostileBroker, startHostileBroker } from '@mqttkit/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../test/helpers.js';

const CONNACK_V5 = Buffer.from([0x20, 0x03, 0x00, 0x00, 0x00]);
const WINDOW_MS = 1000;

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

interface Storm {
  /** Broker side: when each reconnect arrived, ms after the links were reset. */
  arrivals: number[];
  /** Client side: each client's delay from its close event to its retry, sorted. */
  delays: number[];
}

async function storm(clients: number, jitter: 'full' | 'none'): Promise<Storm> {
  const arrivals: number[] = [];
  let counting = false;
  const broker: HostileBroker = await startHostileBroker(async (c) => {
    if (counting) arrivals.push(performance.now());
    await c.next(10_000);
    c.send(CONNACK_V5);
  });
  cleanup.push(() => broker.close());
  const all: MqttClient[] = [];
  cleanup.push(async () => {
    await Promise.all(all.map((c) => c.end({ force: true })));
  });
  for (let i = 0; i < clients; i++) {
    all.push(
      createClient({
        url: broker.url,
        protocolVersion: 5,
        keepalive: 0,
        reconnect: { initialDelay: WINDOW_MS, maxDelay: WINDOW_MS, jitter },
      }),
    );
  }
  // Connect in batches so the setup itself is not a storm.
  for (let i = 0; i < clients; i += 100)
    await Promise.all(all.slice(i, i + 100).map((c) => c.connect()));
  const delays: number[] = [];
  for (const client of all) {
    let closedAt = 0;
    client.on('close', () => {
      closedAt = performance.now();
    });
    client.on('state', ({ to }) => {
      if (to === 'connecting' && closedAt > 0) delays.push(performance.now() - closedAt);
    });
  }
  counting = true;
  const lostAt = performance.now();
  for (const c of [...broker.connections]) c.reset();
  await until(() => arrivals.length >= clients, WINDOW_MS + 5000, `${clients} reconnects`);
  await until(() => delays.length >= clients, 1000, 'every retry recorded');
  return {
    arrivals: arrivals.map((t) => t - lostAt).sort((x, y) => x - y),
    delays: delays.sort((x, y) => x - y),
  };
}

/** Largest gap between the empirical CDF of sorted `t` and the uniform CDF over [lo, hi]. */
function ksUniform(t: number[], lo: number, hi: number): number {
  let d = 0;
  t.forEach((x, i) => {
    const u = Math.min(1, Math.max(0, (x - lo) / (hi - lo)));
    d = Math.max(d, Math.abs((i + 1) / t.length - u), Math.abs(i / t.length - u));
  });
  return d;
}

describe('scenario 7: reconnect storm', () => {
  it('1,000 clients with full jitter spread their reconnects over the backoff window', async () => {
    const { arrivals, delays } = await storm(1000, 'full');
    const buckets = (t: number[]) => {
      const out = Array.from({ length: 10 }, () => 0);
      for (const x of t) out[Math.min(9, Math.floor(x / (WINDOW_MS / 10)))]++;
      return out;
    };
    // The busiest 50 ms anywhere.
    const peak = (t: number[]) => {
      let max = 0;
      for (let i = 0, j = 0; i < t.length; i++) {
        while ((t[i] as number) - (t[j] as number) > 50) j++;
        max = Math.max(max, i - j + 1);
      }
      return max;
    };
    const last = (t: number[]) => (t[t.length - 1] as number).toFixed(0);
    console.log(
      `storm (full jitter): client delays ${(delays[0] as number).toFixed(0)}-${last(delays)} ms, ` +
        `per 100 ms ${buckets(delays).join('/')}; broker arrivals ${(arrivals[0] as number).toFixed(0)}-${last(arrivals)} ms, ` +
        `per 100 ms ${buckets(arrivals).join('/')}, peak ${peak(arrivals)} in 50 ms`,
    );
    // Each client's own delay is uniform over [0, 1000 ms]. Kolmogorov-Smirnov distance from the
    // uniform distribution: about 0.03 for 1,000 samples on a quiet machine; an event-loop stall
    // (1,000 clients and the broker share one process) shifts a slice of timers and adds up to
    // ~0.1 on a busy one. A synchronized retry scores ~1 (checked in the next test).
    const dClient = ksUniform(delays, 0, WINDOW_MS);
    const dBroker = ksUniform(
      arrivals,
      arrivals[0] as number,
      arrivals[arrivals.length - 1] as number,
    );
    console.log(
      `storm: KS distance from uniform, client ${dClient.toFixed(3)}, broker ${dBroker.toFixed(3)}`,
    );
    expect(delays[0]).toBeGreaterThanOrEqual(0);
    expect(delays[delays.length - 1]).toBeLessThanOrEqual(WINDOW_MS + 100);
    expect(dClient).toBeLessThanOrEqual(0.2);
    // At the broker: spread over the whole window (shifted by the time one event loop takes to
    // notice 1,000 resets), never one wave: a synchronized retry puts all 1,000 in one 50 ms.
    expect(arrivals[arrivals.length - 1]).toBeLessThanOrEqual(WINDOW_MS + 500);
    expect(
      (arrivals[arrivals.length - 1] as number) - (arrivals[0] as number),
    ).toBeGreaterThanOrEqual(WINDOW_MS * 0.8);
    expect(dBroker).toBeLessThanOrEqual(0.4);
    expect(peak(arrivals)).toBeLessThanOrEqual(400);
  });

  it('without jitter the same loss is a spike (the contrast the jitter removes)', async () => {
    const { arrivals, delays } = await storm(300, 'none');
    const spread = (delays[delays.length - 1] as number) - (delays[0] as number);
    console.log(
      `storm (no jitter): 300 client delays all within ${spread.toFixed(0)} ms of each other ` +
        `(from ${(delays[0] as number).toFixed(0)} ms); broker arrivals over ` +
        `${((arrivals[arrivals.length - 1] as number) - (arrivals[0] as number)).toFixed(0)} ms`,
    );
    // Every client retries at exactly initialDelay: one synchronized wave, which the metric of
    // the jitter test scores near 1.
    expect(ksUniform(delays, 0, WINDOW_MS)).toBeGreaterThanOrEqual(0.9);
    expect(delays[0]).toBeGreaterThanOrEqual(WINDOW_MS - 5);
    expect(spread).toBeLessThan(100);
  });
});
