import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFakeScheduler, createKeepalive, type Keepalive } from '../src/index.js';

type Action =
  | { type: 'advance'; ms: number }
  | { type: 'jump'; ms: number }
  | { type: 'sent' }
  | { type: 'received' }
  | { type: 'pong' }
  | { type: 'stop' }
  | { type: 'start' }
  | { type: 'setKeepalive'; ms: number };

const keepaliveValues = [0, 300, 1000, 2500];

function actionArb(disturb: boolean): fc.Arbitrary<Action> {
  const base: fc.Arbitrary<Action>[] = [
    fc.integer({ min: 1, max: 1500 }).map((ms) => ({ type: 'advance', ms }) as const),
    fc.integer({ min: 1, max: 50 }).map((ms) => ({ type: 'advance', ms }) as const),
    fc.constant({ type: 'sent' } as const),
    fc.constant({ type: 'received' } as const),
    fc.constant({ type: 'pong' } as const),
    fc.constant({ type: 'stop' } as const),
    fc.constant({ type: 'start' } as const),
  ];
  const weighted = [
    { arbitrary: base[0] as fc.Arbitrary<Action>, weight: 6 },
    { arbitrary: base[1] as fc.Arbitrary<Action>, weight: 3 },
    { arbitrary: base[2] as fc.Arbitrary<Action>, weight: 3 },
    { arbitrary: base[3] as fc.Arbitrary<Action>, weight: 2 },
    { arbitrary: base[4] as fc.Arbitrary<Action>, weight: 3 },
    { arbitrary: base[5] as fc.Arbitrary<Action>, weight: 1 },
    { arbitrary: base[6] as fc.Arbitrary<Action>, weight: 2 },
  ];
  if (disturb) {
    weighted.push(
      {
        arbitrary: fc.integer({ min: 1, max: 20_000 }).map((ms) => ({ type: 'jump', ms }) as const),
        weight: 1,
      },
      {
        arbitrary: fc
          .constantFrom(...keepaliveValues)
          .map((ms) => ({ type: 'setKeepalive', ms }) as const),
        weight: 1,
      },
    );
  }
  return fc.oneof(...weighted);
}

const configArb = fc.record({
  keepaliveMs: fc.constantFrom(...keepaliveValues),
  pingTimeoutMs: fc.option(fc.constantFrom(1, 200, 700, 4000), { nil: undefined }),
});

/**
 * Runs a schedule against the engine while a model of the host tracks what the engine was told,
 * and checks the invariants at every callback and after every action. The model never predicts
 * when the engine pings; it only checks the rules' consequences.
 */
function run(
  config: { keepaliveMs: number; pingTimeoutMs: number | undefined },
  actions: Action[],
  disturb: boolean,
): void {
  const clock = createFakeScheduler();
  let running = false;
  let outstanding = false;
  let lastSent = 0;
  let lastReceived = 0;
  let lastPingAt = Number.NEGATIVE_INFINITY;
  let pingSentAt = Number.NEGATIVE_INFINITY;
  let lastDisturbance = Number.NEGATIVE_INFINITY;
  let pings = 0;
  let deaths = 0;
  let engine: Keepalive | undefined;
  const current = (): { k: number; t: number } => {
    const s = (engine as Keepalive).stats();
    return { k: s.keepaliveMs, t: s.pingTimeoutMs };
  };

  engine = createKeepalive({
    ...config,
    scheduler: clock,
    sendPing() {
      const now = clock.now();
      const { k } = current();
      expect(running, 'sendPing only while running').toBe(true);
      expect(outstanding, 'at most one PINGREQ outstanding').toBe(false);
      expect(now - lastPingAt, 'two PINGREQs at least one keepalive apart').toBeGreaterThanOrEqual(
        k,
      );
      outstanding = true;
      lastPingAt = now;
      pingSentAt = now;
      lastSent = now;
      pings++;
    },
    onDead(reason) {
      const now = clock.now();
      const { k, t } = current();
      expect(running, 'onDead only while running').toBe(true);
      expect(outstanding, 'dead only with a PINGREQ outstanding').toBe(true);
      expect(now - pingSentAt, 'PINGREQ unanswered for pingTimeoutMs').toBeGreaterThanOrEqual(t);
      expect(now - lastReceived, 'never before the bound').toBeGreaterThanOrEqual(k + t);
      if (!disturb) expect(now - lastReceived, 'exactly at the bound').toBe(k + t);
      expect(reason).toMatchObject({
        type: 'ping-timeout',
        lastReceivedAt: lastReceived,
        pingSentAt,
        detectedAt: now,
      });
      running = false;
      outstanding = false;
      deaths++;
    },
  });
  const e = engine;

  for (const action of actions) {
    switch (action.type) {
      case 'advance':
        clock.advance(action.ms);
        break;
      case 'jump':
        clock.jump(action.ms);
        lastDisturbance = clock.now();
        break;
      case 'sent':
        e.packetSent();
        lastSent = clock.now();
        break;
      case 'received':
        e.packetReceived();
        lastReceived = clock.now();
        break;
      case 'pong':
        e.pingAnswered();
        lastReceived = clock.now();
        if (running) outstanding = false;
        break;
      case 'stop':
        e.stop();
        running = false;
        outstanding = false;
        expect(clock.pending(), 'stop() leaves no timer behind').toBe(0);
        break;
      case 'start':
        if (!running) {
          lastSent = clock.now();
          lastReceived = clock.now();
          outstanding = false;
        }
        e.start();
        running = true;
        break;
      case 'setKeepalive':
        e.setKeepalive(action.ms);
        lastDisturbance = clock.now();
        break;
    }
    // Let callbacks scheduled for "now" (after start/setKeepalive) run before checking bounds.
    clock.runDue();
    const now = clock.now();
    const { k, t } = current();
    expect(e.stats().state === 'running').toBe(running);
    expect(e.stats().pingOutstanding).toBe(outstanding);
    if (!running) {
      expect(clock.pending(), 'nothing scheduled unless running').toBe(0);
      continue;
    }
    if (k === 0) {
      expect(clock.pending(), 'keepalive 0 schedules nothing').toBe(0);
      continue;
    }
    expect(clock.pending(), 'exactly one timer per running engine').toBe(1);
    const anchor = Math.max(lastReceived, lastDisturbance);
    expect(now - anchor, 'dead no later than keepalive + ping timeout').toBeLessThan(k + t);
    if (!outstanding) {
      const quiet = Math.max(Math.min(lastSent, lastReceived), lastDisturbance);
      expect(now - quiet, 'a PINGREQ goes out once a keepalive passes quietly').toBeLessThan(k);
    }
  }
  expect(e.stats().pingsSent).toBe(pings);
  void deaths;
}

describe('keepalive invariants over random schedules (fast-check)', () => {
  it('holds on the exact clock: sends, receives, pongs, stops and starts', () => {
    fc.assert(
      fc.property(configArb, fc.array(actionArb(false), { minLength: 1, maxLength: 400 }), (c, a) =>
        run(c, a, false),
      ),
      { numRuns: 400 },
    );
  });

  it('holds with clock jumps and keepalive changes mixed in', () => {
    fc.assert(
      fc.property(configArb, fc.array(actionArb(true), { minLength: 1, maxLength: 400 }), (c, a) =>
        run(c, a, true),
      ),
      { numRuns: 400 },
    );
  });

  it('a long healthy session pings on every keepalive and never dies', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(300, 1000, 2500),
        fc.array(fc.integer({ min: 0, max: 199 }), { minLength: 50, maxLength: 300 }),
        (keepaliveMs, rtts) => {
          const clock = createFakeScheduler();
          const pings: number[] = [];
          let dead = false;
          const engine = createKeepalive({
            keepaliveMs,
            pingTimeoutMs: 200,
            scheduler: clock,
            sendPing: () => pings.push(clock.now()),
            onDead: () => {
              dead = true;
            },
          });
          engine.start();
          for (const rtt of rtts) {
            clock.advance(keepaliveMs + rtt - (clock.now() % keepaliveMs));
            engine.pingAnswered();
          }
          expect(dead).toBe(false);
          expect(engine.stats().pongsReceived).toBe(pings.length);
          for (let i = 1; i < pings.length; i++) {
            expect((pings[i] as number) - (pings[i - 1] as number)).toBe(keepaliveMs);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});

/**
 * A host that sleeps: during each window nothing runs; at its end the overdue timers run first,
 * then the network events that arrived meanwhile, then timers scheduled since (a thawed Node
 * process: timers phase, then I/O; at their worst). The broker answers every PINGREQ `rtt` ms
 * after it is written.
 */
function sleepingHost(sleeps: Array<{ gapMs: number; sleepMs: number }>) {
  const windows: Array<{ start: number; end: number }> = [];
  let t = 0;
  for (const { gapMs, sleepMs } of sleeps) {
    const start = t + gapMs;
    windows.push({ start, end: start + sleepMs });
    t = start + sleepMs;
  }
  const wakeAt = (time: number): number => {
    const w = windows.find((window) => time >= window.start && time < window.end);
    return w === undefined ? time : w.end;
  };
  return { windows, wakeAt, lastWake: t };
}

const sleepArb = fc.record({
  gapMs: fc.integer({ min: 0, max: 20_000 }),
  sleepMs: fc.constantFrom(300, 1000, 1500, 10_000, 60_000),
});

describe('keepalive with late timers (a sleeping host, fast-check)', () => {
  it('a live link is never declared dead, and PINGREQs stay one keepalive apart', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(1000, 2000, 5000),
        fc.option(fc.constantFrom(200, 1000, 3000), { nil: undefined }),
        fc.array(sleepArb, { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 0, max: 150 }),
        (keepaliveMs, pingTimeoutMs, sleeps, rtt) => {
          const clock = createFakeScheduler();
          const host = sleepingHost(sleeps);
          const pings: number[] = [];
          let dead = false;
          let outstanding = false;
          const engine: Keepalive = createKeepalive({
            keepaliveMs,
            pingTimeoutMs,
            scheduler: {
              now: () => clock.now(),
              at: (timeMs, fn) => clock.at(host.wakeAt(Math.max(timeMs, clock.now())), fn),
            },
            sendPing() {
              const now = clock.now();
              expect(outstanding, 'at most one PINGREQ outstanding').toBe(false);
              if (pings.length > 0) {
                expect(now - (pings.at(-1) as number)).toBeGreaterThanOrEqual(keepaliveMs);
              }
              pings.push(now);
              outstanding = true;
              clock.at(host.wakeAt(now + rtt), () => {
                outstanding = false;
                engine.pingAnswered();
              });
            },
            onDead: () => {
              dead = true;
            },
          });
          engine.start();
          clock.advance(host.lastWake + 5 * keepaliveMs);
          expect(dead, 'a live link declared dead').toBe(false);
          expect(pings.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a dead link is declared dead, never before the bound, soon after the last wake-up', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(1000, 2000, 5000),
        fc.option(fc.constantFrom(200, 1000, 3000), { nil: undefined }),
        fc.array(sleepArb, { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 0, max: 100_000 }),
        (keepaliveMs, pingTimeoutMs, sleeps, silentFrom) => {
          const clock = createFakeScheduler();
          const host = sleepingHost(sleeps);
          const pings: number[] = [];
          let lastReceived = 0;
          let deadAt: number | undefined;
          let answering = true;
          const engine: Keepalive = createKeepalive({
            keepaliveMs,
            pingTimeoutMs,
            scheduler: {
              now: () => clock.now(),
              at: (timeMs, fn) => clock.at(host.wakeAt(Math.max(timeMs, clock.now())), fn),
            },
            sendPing() {
              const now = clock.now();
              if (pings.length > 0) {
                expect(now - (pings.at(-1) as number)).toBeGreaterThanOrEqual(keepaliveMs);
              }
              pings.push(now);
              if (!answering) return;
              clock.at(host.wakeAt(now + 20), () => {
                lastReceived = clock.now();
                engine.pingAnswered();
              });
            },
            onDead: (reason) => {
              deadAt = clock.now();
              expect(reason.lastReceivedAt).toBe(lastReceived);
            },
          });
          engine.start();
          // The link dies (the broker stops answering) at a random time, asleep or not.
          clock.at(silentFrom, () => {
            answering = false;
          });
          const t = engine.stats().pingTimeoutMs;
          clock.advance(Math.max(host.lastWake, silentFrom) + keepaliveMs + 2 * t + 1);
          expect(deadAt, 'a dead link never declared dead').toBeDefined();
          const at = deadAt as number;
          expect(at - lastReceived, 'never before the bound').toBeGreaterThanOrEqual(
            keepaliveMs + t,
          );
          // After the last sleep the timers are on time: dead by the usual bound, or a ping
          // timeout after the wake-up, whichever is later.
          const lastWakeBefore = Math.max(
            0,
            ...host.windows.filter((w) => w.end <= at).map((w) => w.end),
          );
          expect(at).toBeLessThanOrEqual(
            Math.max(lastReceived + keepaliveMs + t, lastWakeBefore + keepaliveMs + t),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
