import { describe, expect, it } from 'vitest';
import { lateSlackMs } from '../src/index.js';
import { every, harness } from './helpers.js';

// A hidden tab, a frozen page or a suspended laptop runs the engine's check long after it asked.
// `clock.jump(ms)` is exactly that: the clock moves in one step, then the overdue check runs
// first. Anything the network delivered meanwhile (a PINGRESP) is handled only after it, which
// is why the tests call `pingAnswered()` after the jump.
const KEEPALIVE_MS = 2000;
const PING_TIMEOUT_MS = 1000;
const LATENESS_MS = [1000, 10_000, 60_000];

function engineAt2s() {
  const h = harness({ keepaliveMs: KEEPALIVE_MS, pingTimeoutMs: PING_TIMEOUT_MS });
  h.engine.start();
  return h;
}

describe('late checks judge by timestamps (hidden tabs, frozen pages)', () => {
  it('the slack: half the ping timeout, at most 1 s', () => {
    expect(lateSlackMs(1000)).toBe(500);
    expect(lateSlackMs(30_000)).toBe(1000);
    expect(lateSlackMs(1)).toBe(0.5);
  });

  for (const late of LATENESS_MS) {
    it(`a PINGRESP queued while the check was ${late} ms late is not a death`, () => {
      const { clock, engine, pings, deaths } = engineAt2s();
      clock.advance(KEEPALIVE_MS);
      expect(pings).toEqual([2000]);
      // The broker answered at 2020, but the page slept through it; its deadline check (asked
      // for 3000) runs `late` ms after that, before the queued PINGRESP is read.
      clock.jump(PING_TIMEOUT_MS + late);
      expect(deaths).toEqual([]);
      expect(engine.stats()).toMatchObject({ state: 'running', lateWakeups: 1 });
      engine.pingAnswered();
      expect(engine.stats()).toMatchObject({ pingOutstanding: false, pongsReceived: 1 });
      // The answer is old news about the link: a fresh PINGREQ goes out at once (its keepalive
      // since the last one has long passed), and the link lives on with answers.
      clock.advance(0);
      expect(pings).toEqual([2000, 3000 + late]);
      // From here the broker answers every PINGREQ 20 ms later and the timers are on time.
      every(clock, 20, 10 * KEEPALIVE_MS, () => {
        if (engine.stats().pingOutstanding) engine.pingAnswered();
      });
      expect(deaths).toEqual([]);
      expect(pings.length).toBeGreaterThanOrEqual(11);
    });

    it(`a dead link is declared dead ping timeout after the wake-up (check ${late} ms late)`, () => {
      const { clock, engine, pings, deaths, deathTimes } = engineAt2s();
      clock.advance(KEEPALIVE_MS);
      clock.jump(PING_TIMEOUT_MS + late);
      const wake = clock.now();
      // No second PINGREQ while the first is outstanding: the answer to it is what is awaited.
      expect(pings).toEqual([2000]);
      clock.advance(PING_TIMEOUT_MS - 1);
      expect(deaths).toEqual([]);
      clock.advance(1);
      expect(deathTimes).toEqual([wake + PING_TIMEOUT_MS]);
      expect(deaths[0]).toMatchObject({
        type: 'ping-timeout',
        pingSentAt: 2000,
        lastReceivedAt: 0,
      });
      expect(engine.stats().state).toBe('dead');
    });

    it(`no PINGREQ outstanding: a check ${late} ms late pings at once and waits the ping timeout`, () => {
      const { clock, pings, deaths, deathTimes } = engineAt2s();
      // The first check (asked for 2000) runs `late` ms late.
      clock.jump(KEEPALIVE_MS + late);
      const wake = clock.now();
      expect(pings).toEqual([wake]);
      clock.advance(PING_TIMEOUT_MS - 1);
      expect(deaths).toEqual([]);
      clock.advance(1);
      expect(deathTimes).toEqual([wake + PING_TIMEOUT_MS]);
    });
  }

  it('a check late by no more than the slack is judged as on time (the bound stays exact)', () => {
    const { clock, pings, deathTimes, engine } = engineAt2s();
    clock.advance(KEEPALIVE_MS);
    // Asked for 3000, runs at 3500: late by exactly the slack (500 ms).
    clock.jump(PING_TIMEOUT_MS + lateSlackMs(PING_TIMEOUT_MS));
    expect(pings).toEqual([2000]);
    expect(deathTimes).toEqual([3500]);
    expect(engine.stats().lateWakeups).toBe(0);
  });

  it('one grace per PINGREQ: a second late check for the same PINGREQ ends the link', () => {
    const { clock, deathTimes, engine } = engineAt2s();
    clock.advance(KEEPALIVE_MS);
    clock.jump(PING_TIMEOUT_MS + 60_000); // first late check: grace until 64_000
    expect(deathTimes).toEqual([]);
    clock.jump(PING_TIMEOUT_MS + 60_000); // the grace's check, late again
    expect(deathTimes).toEqual([124_000]);
    expect(engine.stats().lateWakeups).toBe(2);
  });

  it('a late check before the deadline still moves it to at least the wake-up + ping timeout', () => {
    const { clock, engine, deathTimes } = engineAt2s();
    clock.advance(KEEPALIVE_MS); // PINGREQ at 2000, deadline 3000
    clock.advance(500);
    engine.packetReceived(); // at 2500: the deadline becomes 2500 + 2000 + 1000 = 5500
    // The check asked for 3000 runs at 5400 (the page slept): the deadline is not due yet, but
    // a PINGRESP may be queued behind this check, so it gets a full ping timeout.
    clock.jump(2900);
    expect(deathTimes).toEqual([]);
    clock.advance(999);
    expect(deathTimes).toEqual([]);
    clock.advance(1);
    expect(deathTimes).toEqual([6400]);
  });

  it('a PINGRESP read in the same turn as an on-time deadline check is not a death', () => {
    const { clock, engine, deaths, deathTimes } = engineAt2s();
    clock.advance(KEEPALIVE_MS); // PINGREQ at 2000, deadline check at 3000
    // The answer came at 2500 while the event loop was busy; the host reads it at 3000, in the
    // I/O phase right after the (on-time) check. The check yields once before its verdict.
    clock.at(3000, () => engine.pingAnswered());
    clock.advance(PING_TIMEOUT_MS);
    expect(deaths).toEqual([]);
    expect(engine.stats()).toMatchObject({ pongsReceived: 1, lateWakeups: 0 });
    // Without an answer, the verdict after the yield is on time: the bound stays exact.
    clock.advance(KEEPALIVE_MS + PING_TIMEOUT_MS);
    expect(deathTimes).toEqual([3000 + KEEPALIVE_MS + PING_TIMEOUT_MS]);
  });

  it('stop() and start() forget the grace along with the PINGREQ', () => {
    const { clock, engine, pings, deathTimes } = engineAt2s();
    clock.advance(KEEPALIVE_MS);
    clock.jump(PING_TIMEOUT_MS + 10_000); // grace until 14_000
    engine.stop();
    engine.start(); // at 13_000
    clock.advance(KEEPALIVE_MS); // PINGREQ at 15_000, deadline 16_000
    expect(pings).toEqual([2000, 15_000]);
    clock.advance(PING_TIMEOUT_MS);
    expect(deathTimes).toEqual([16_000]);
  });

  it('late checks never bring two PINGREQs closer than one keepalive', () => {
    const { clock, engine, pings } = engineAt2s();
    for (const late of [1000, 10_000, 60_000, 0, 1500, 60_000]) {
      clock.jump(KEEPALIVE_MS + late);
      engine.pingAnswered();
      clock.advance(1);
    }
    for (let i = 1; i < pings.length; i++) {
      expect((pings[i] as number) - (pings[i - 1] as number)).toBeGreaterThanOrEqual(KEEPALIVE_MS);
    }
    expect(pings.length).toBe(6);
  });
});
