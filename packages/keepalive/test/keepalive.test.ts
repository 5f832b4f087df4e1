import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  createFakeScheduler,
  createKeepalive,
  type DeadReason,
  KeepaliveOptionError,
  KeepaliveTimeoutError,
  type Scheduler,
} from '../src/index.js';
import { every, harness } from './helpers.js';

const noop = (): void => {};

describe('options', () => {
  it('defaults the ping timeout to half the keepalive (bound 1.5 x keepalive)', () => {
    const { engine } = harness({ keepaliveMs: 5000 });
    expect(engine.stats()).toMatchObject({ keepaliveMs: 5000, pingTimeoutMs: 2500 });
    expect(harness({ keepaliveMs: 1001 }).engine.stats().pingTimeoutMs).toBe(501);
  });

  it.each([
    ['keepaliveMs', { keepaliveMs: -1 }],
    ['keepaliveMs', { keepaliveMs: Number.NaN }],
    ['keepaliveMs', { keepaliveMs: 1.5 }],
    ['keepaliveMs', { keepaliveMs: Number.POSITIVE_INFINITY }],
    ['keepaliveMs', { keepaliveMs: '1000' as unknown as number }],
    ['pingTimeoutMs', { keepaliveMs: 1000, pingTimeoutMs: 0 }],
    ['pingTimeoutMs', { keepaliveMs: 1000, pingTimeoutMs: -5 }],
    ['pingTimeoutMs', { keepaliveMs: 1000, pingTimeoutMs: 2.5 }],
  ])('refuses %s in %j with a coded RangeError', (option, bad) => {
    let caught: unknown;
    try {
      createKeepalive({ sendPing: noop, onDead: noop, ...bad });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(RangeError);
    expect(caught).toBeInstanceOf(KeepaliveOptionError);
    expect(caught).toMatchObject({ code: 'MQTTKIT_ERR_INVALID_KEEPALIVE_OPTION', option });
  });

  it('refuses callbacks that are not functions', () => {
    const bad = { keepaliveMs: 1000, sendPing: 'ping', onDead: noop } as unknown as Parameters<
      typeof createKeepalive
    >[0];
    expect(() => createKeepalive(bad)).toThrow(
      expect.objectContaining({ code: 'MQTTKIT_ERR_INVALID_KEEPALIVE_OPTION', option: 'sendPing' }),
    );
  });

  it('refuses a bad setKeepalive value and keeps the old one', () => {
    const { engine } = harness({ keepaliveMs: 1000 });
    expect(() => engine.setKeepalive(-1)).toThrow(KeepaliveOptionError);
    expect(engine.stats().keepaliveMs).toBe(1000);
  });
});

describe('rule: a PINGREQ is due after keepaliveMs without sending', () => {
  it('idle link: pings exactly keepaliveMs after start, not before', () => {
    const { clock, engine, pings } = harness({ keepaliveMs: 1000 });
    engine.start();
    clock.advance(999);
    expect(pings).toEqual([]);
    clock.advance(1);
    expect(pings).toEqual([1000]);
  });

  it('a host that only receives still pings once per keepalive [MQTT-3.1.2-23]', () => {
    const { clock, engine, pings } = harness({ keepaliveMs: 1000 });
    engine.start();
    every(clock, 100, 3050, () => engine.packetReceived());
    // The broker answered nothing (no pingAnswered), but traffic kept arriving: still one ping.
    expect(pings).toEqual([1000]);
  });

  it('answered pings repeat every keepalive on a link that only receives', () => {
    const { clock, engine, pings } = harness({ keepaliveMs: 1000 });
    engine.start();
    every(clock, 100, 3050, () => {
      engine.packetReceived();
      if (engine.stats().pingOutstanding) engine.pingAnswered();
    });
    expect(pings).toEqual([1000, 2000, 3000]);
  });

  it('sending resets the send rule; sending and receiving together need no ping', () => {
    const { clock, engine, pings } = harness({ keepaliveMs: 1000 });
    engine.start();
    every(clock, 250, 20_000, () => {
      engine.packetSent();
      engine.packetReceived();
    });
    expect(pings).toEqual([]);
    expect(engine.stats().pingsSent).toBe(0);
  });
});

describe('rule: a PINGREQ is due after keepaliveMs without receiving', () => {
  it('a host that only publishes QoS 0 still pings once per keepalive', () => {
    const { clock, engine, pings } = harness({ keepaliveMs: 1000, pingTimeoutMs: 500 });
    engine.start();
    // The broker answers each ping 20 ms later; otherwise it never sends anything.
    let answerAt = Number.POSITIVE_INFINITY;
    every(clock, 10, 3500, () => {
      engine.packetSent();
      if (clock.now() >= answerAt) {
        engine.pingAnswered();
        answerAt = Number.POSITIVE_INFINITY;
      }
      if (engine.stats().pingOutstanding && answerAt === Number.POSITIVE_INFINITY) {
        answerAt = clock.now() + 20;
      }
    });
    expect(pings).toEqual([1000, 2020, 3040]);
    expect(engine.stats()).toMatchObject({ pingsSent: 3, pongsReceived: 3, lastRttMs: 20 });
  });
});

describe('rule: at most one PINGREQ outstanding, never two within one keepalive', () => {
  it('keeps one ping outstanding while other packets arrive', () => {
    const { clock, engine, pings, deaths } = harness({ keepaliveMs: 1000 });
    engine.start();
    every(clock, 900, 9000, () => engine.packetReceived());
    expect(pings).toEqual([1000]);
    expect(deaths).toEqual([]);
    expect(engine.stats().pingOutstanding).toBe(true);
  });

  it('stop() and start() right after a ping do not ping again within the keepalive', () => {
    const { clock, engine, pings } = harness({ keepaliveMs: 1000 });
    engine.start();
    clock.advance(1000);
    expect(pings).toEqual([1000]);
    clock.advance(3);
    engine.stop();
    engine.start();
    engine.stop();
    engine.start();
    clock.advance(996);
    expect(pings).toEqual([1000]);
    clock.advance(10);
    expect(pings).toEqual([1000, 2003]);
  });

  it('a timer that fires late sends one ping, not one per missed interval', () => {
    const { clock, engine, pings, deathTimes } = harness({ keepaliveMs: 1000 });
    engine.start();
    clock.jump(10_000);
    expect(pings).toEqual([10_000]);
    clock.advance(499);
    expect(deathTimes).toEqual([]);
    clock.advance(1);
    expect(deathTimes).toEqual([10_500]);
  });

  it('a scheduler that fires early cannot make the engine ping early', () => {
    // A scheduler that breaks its contract: it runs calls up to 400 ms before their time.
    const { clock, engine, pings } = harness({
      keepaliveMs: 1000,
      wrap: (fake): Scheduler => ({
        now: () => fake.now(),
        at: (timeMs, fn) => fake.at(Math.max(fake.now() + 1, timeMs - 400), fn),
      }),
    });
    engine.start();
    every(clock, 50, 5000, () => {
      if (engine.stats().pingOutstanding) engine.pingAnswered();
    });
    // Early wake-ups are re-armed, so pings still land exactly on keepalive boundaries.
    expect(pings).toEqual([1000, 2000, 3000, 4000, 5000]);
  });
});

describe('rule: dead after keepaliveMs + pingTimeoutMs of silence with a PINGREQ unanswered', () => {
  it('idle link: onDead fires once, exactly at the bound, with a typed reason', () => {
    const { clock, engine, deaths, deathTimes } = harness({ keepaliveMs: 1000 });
    engine.start();
    clock.advance(1499);
    expect(deaths).toEqual([]);
    clock.advance(1);
    expect(deathTimes).toEqual([1500]);
    expect(deaths[0]).toEqual({
      type: 'ping-timeout',
      keepaliveMs: 1000,
      pingTimeoutMs: 500,
      lastReceivedAt: 0,
      pingSentAt: 1000,
      detectedAt: 1500,
      silentMs: 1500,
    } satisfies DeadReason);
    expect(engine.stats().state).toBe('dead');
    clock.advance(100_000);
    expect(deaths).toHaveLength(1);
    expect(clock.pending()).toBe(0);
  });

  it('busy link (QoS 0 publishes into the void): dead at the same bound', () => {
    const { clock, engine, pings, deathTimes } = harness({ keepaliveMs: 1000 });
    engine.start();
    clock.advance(1020);
    engine.pingAnswered(); // the last packet from the broker, at 1020
    every(clock, 7, 3000, () => engine.packetSent());
    // Sending every 7 ms does not postpone the ping: nothing was received for a keepalive.
    expect(pings).toEqual([1000, 2020]);
    expect(deathTimes).toEqual([1020 + 1500]);
  });

  it('a tighter ping timeout tightens the bound (keepalive 5 s, timeout 1 s: 6 s)', () => {
    const { clock, engine, deathTimes } = harness({ keepaliveMs: 5000, pingTimeoutMs: 1000 });
    engine.start();
    clock.advance(2345);
    engine.packetReceived();
    clock.advance(10_000);
    expect(deathTimes).toEqual([2345 + 6000]);
  });

  it('a ping sent early (host only receiving) still waits for the full silence', () => {
    const { clock, engine, pings, deathTimes, deaths } = harness({ keepaliveMs: 1000 });
    engine.start();
    every(clock, 100, 950, () => engine.packetReceived());
    clock.advance(5000);
    expect(pings).toEqual([1000]);
    // Last packet received at 900: dead at 900 + 1500, although the ping is older than 500 ms.
    expect(deathTimes).toEqual([2400]);
    expect(deaths[0]?.silentMs).toBe(1500);
  });

  it('never fires while packets keep arriving, answered or not', () => {
    const { clock, engine, deaths } = harness({ keepaliveMs: 1000 });
    engine.start();
    every(clock, 1499, 150_000, () => engine.packetReceived());
    expect(deaths).toEqual([]);
  });

  it('onDead can restart the engine for a new connection', () => {
    let restarts = 0;
    const h = harness({
      keepaliveMs: 1000,
      onDead: () => {
        if (restarts++ === 0) h.engine.start();
      },
    });
    h.engine.start();
    h.clock.advance(1500);
    expect(h.engine.stats().state).toBe('running');
    h.clock.advance(1500);
    expect(h.deathTimes).toEqual([1500, 3000]);
    expect(h.pings).toEqual([1000, 2500]);
  });

  it('builds a KeepaliveTimeoutError for hosts that want an Error', () => {
    const { clock, engine, deaths } = harness({ keepaliveMs: 1000 });
    engine.start();
    clock.advance(1500);
    const error = new KeepaliveTimeoutError(deaths[0] as DeadReason);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      code: 'MQTTKIT_ERR_KEEPALIVE_TIMEOUT',
      reasonCode: 0x8d,
      name: 'KeepaliveTimeoutError',
    });
    expect(error.message).toMatch(/nothing received for 1500 ms/);
  });
});

describe('rule: after stop() no callback fires again', () => {
  it('stop() cancels everything: no pings, no death, no pending timers', () => {
    const { clock, engine, pings, deaths } = harness({ keepaliveMs: 1000 });
    engine.start();
    clock.advance(1200);
    engine.stop();
    expect(clock.pending()).toBe(0);
    clock.advance(100_000);
    expect(pings).toEqual([1000]);
    expect(deaths).toEqual([]);
    expect(engine.stats()).toMatchObject({ state: 'stopped', pingOutstanding: false });
  });

  it('stop() from inside sendPing wins over the ping timeout', () => {
    const h = harness({ keepaliveMs: 1000, sendPing: () => h.engine.stop() });
    h.engine.start();
    h.clock.advance(10_000);
    expect(h.pings).toEqual([1000]);
    expect(h.deaths).toEqual([]);
    expect(h.clock.pending()).toBe(0);
  });

  it('start() while running changes nothing', () => {
    const { clock, engine, pings } = harness({ keepaliveMs: 1000 });
    engine.start();
    clock.advance(600);
    engine.start();
    clock.advance(400);
    expect(pings).toEqual([1000]);
  });
});

describe('rule: setKeepalive overrides the keepalive (MQTT 5 Server Keep Alive)', () => {
  it('a shorter server value takes effect at once [MQTT-3.2.2-21]', () => {
    const { clock, engine, pings } = harness({ keepaliveMs: 60_000 });
    engine.start();
    clock.advance(100);
    engine.setKeepalive(1000);
    expect(engine.stats()).toMatchObject({ keepaliveMs: 1000, pingTimeoutMs: 500 });
    clock.advance(900);
    expect(pings).toEqual([1000]);
  });

  it('a longer server value postpones the ping', () => {
    const { clock, engine, pings } = harness({ keepaliveMs: 1000 });
    engine.start();
    engine.setKeepalive(5000);
    clock.advance(4999);
    expect(pings).toEqual([]);
    clock.advance(1);
    expect(pings).toEqual([5000]);
  });

  it('an explicit pingTimeoutMs is kept when the keepalive changes', () => {
    const { engine } = harness({ keepaliveMs: 1000, pingTimeoutMs: 300 });
    engine.setKeepalive(9000);
    expect(engine.stats().pingTimeoutMs).toBe(300);
  });

  it('0 disables pings and detection; a later value enables them again', () => {
    const { clock, engine, pings, deaths } = harness({ keepaliveMs: 1000 });
    engine.start();
    engine.setKeepalive(0);
    expect(clock.pending()).toBe(0);
    clock.advance(100_000);
    expect(pings).toEqual([]);
    engine.packetSent();
    engine.packetReceived();
    engine.setKeepalive(2000);
    clock.advance(2000);
    expect(pings).toEqual([102_000]);
    clock.advance(1000);
    expect(deaths).toHaveLength(1);
  });

  it('keepaliveMs 0 from the start never schedules anything', () => {
    const { clock, engine } = harness({ keepaliveMs: 0 });
    engine.start();
    expect(clock.pending()).toBe(0);
  });
});

describe('counters', () => {
  it('counts pings, pongs and the last round trip; unsolicited PINGRESPs are not pongs', () => {
    const { clock, engine } = harness({ keepaliveMs: 1000 });
    engine.pingAnswered();
    engine.start();
    engine.pingAnswered();
    clock.advance(1000);
    clock.advance(42);
    engine.pingAnswered();
    engine.pingAnswered(); // a duplicate answers nothing
    clock.advance(958 + 300); // second ping at 2000
    engine.pingAnswered();
    expect(engine.stats()).toMatchObject({
      pingsSent: 2,
      pongsReceived: 2,
      lastRttMs: 300,
      pingOutstanding: false,
    });
  });

  it('reports activity times on the scheduler clock', () => {
    const { clock, engine } = harness();
    expect(engine.stats().lastSentAt).toBeUndefined();
    engine.start();
    clock.advance(10);
    engine.packetSent();
    clock.advance(5);
    engine.packetReceived();
    expect(engine.stats()).toMatchObject({ lastSentAt: 10, lastReceivedAt: 15 });
  });
});

describe('hot path', () => {
  it('packetSent() and packetReceived() never touch the timer system', () => {
    let scheduled = 0;
    let cancelled = 0;
    const { engine } = harness({
      wrap: (fake): Scheduler => ({
        now: () => fake.now(),
        at(timeMs, fn) {
          scheduled++;
          const cancel = fake.at(timeMs, fn);
          return () => {
            cancelled++;
            cancel();
          };
        },
      }),
    });
    engine.start();
    const before = { scheduled, cancelled };
    for (let i = 0; i < 10_000; i++) {
      engine.packetSent();
      engine.packetReceived();
    }
    expect({ scheduled, cancelled }).toEqual(before);
  });
});

describe('types', () => {
  it('exposes a discriminated reason and the documented surface', () => {
    expectTypeOf<DeadReason['type']>().toEqualTypeOf<'ping-timeout'>();
    const engine = createKeepalive({
      keepaliveMs: 1000,
      scheduler: createFakeScheduler(),
      sendPing: noop,
      onDead: noop,
    });
    expectTypeOf(engine.stats().lastRttMs).toEqualTypeOf<number | undefined>();
    expectTypeOf(engine.setKeepalive).parameter(0).toEqualTypeOf<number>();
  });
});
