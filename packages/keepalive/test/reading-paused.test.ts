import { describe, expect, it } from 'vitest';
import { harness } from './helpers.js';

// A host that stops reading (inbound flow control) must not take its own pause for a dead link,
// and must keep the broker's keepalive satisfied meanwhile.

describe('reading paused', () => {
  it('never declares the link dead while reading is paused, and keeps pinging once a keepalive', () => {
    const { clock, engine, pings, deaths } = harness({ keepaliveMs: 1000, pingTimeoutMs: 500 });
    engine.start();
    engine.readingPaused();
    clock.advance(10_000);
    expect(deaths).toEqual([]);
    // One PINGREQ per keepalive of sending nothing, although none is answered (nothing is read).
    expect(pings).toEqual([1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10_000]);
  });

  it('sends no PINGREQ while reading is paused if other packets keep going out', () => {
    const { clock, engine, pings } = harness({ keepaliveMs: 1000 });
    engine.start();
    engine.readingPaused();
    for (let i = 0; i < 20; i++) {
      clock.advance(250);
      engine.packetSent();
    }
    expect(pings).toEqual([]);
  });

  it('judges the link again from the resume: dead keepalive + ping timeout after it if silent', () => {
    const { clock, engine, deaths, deathTimes } = harness({
      keepaliveMs: 1000,
      pingTimeoutMs: 500,
    });
    engine.start();
    engine.readingPaused();
    clock.advance(5_200);
    engine.readingResumed();
    expect(engine.stats().lastReceivedAt).toBe(5_200);
    clock.advance(5_000);
    expect(deaths).toHaveLength(1);
    // Within keepalive + ping timeout of the resume (plus the one yield before a verdict).
    expect(deathTimes[0]! - 5_200).toBeGreaterThanOrEqual(1_500);
    expect(deathTimes[0]! - 5_200).toBeLessThanOrEqual(1_501);
  });

  it('a PINGRESP read after the resume keeps the link up', () => {
    const { clock, engine, deaths } = harness({ keepaliveMs: 1000, pingTimeoutMs: 500 });
    engine.start();
    engine.readingPaused();
    clock.advance(3_000);
    engine.readingResumed();
    engine.pingAnswered();
    clock.advance(900);
    engine.packetReceived();
    clock.advance(900);
    engine.pingAnswered();
    expect(deaths).toEqual([]);
    expect(engine.stats().state).toBe('running');
  });

  it('without the pause the same silence is a dead link (the test above can fail)', () => {
    const { clock, engine, deaths } = harness({ keepaliveMs: 1000, pingTimeoutMs: 500 });
    engine.start();
    clock.advance(10_000);
    expect(deaths).toHaveLength(1);
  });

  it('start() and stop() clear the pause', () => {
    const { clock, engine, deaths } = harness({ keepaliveMs: 1000, pingTimeoutMs: 500 });
    engine.start();
    engine.readingPaused();
    engine.stop();
    engine.start();
    clock.advance(3_000);
    expect(deaths).toHaveLength(1);
  });
});
