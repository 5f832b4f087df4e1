import {
  createFakeScheduler,
  createKeepalive,
  type DeadReason,
  type FakeScheduler,
  type Keepalive,
  type KeepaliveOptions,
  type Scheduler,
} from '../src/index.js';

export interface Harness {
  clock: FakeScheduler;
  engine: Keepalive;
  /** Scheduler times at which sendPing was called. */
  pings: number[];
  deaths: DeadReason[];
  /** Scheduler times at which onDead was called. */
  deathTimes: number[];
}

export type HarnessOptions = Partial<Omit<KeepaliveOptions, 'scheduler'>> & {
  wrap?: (clock: FakeScheduler) => Scheduler;
};

/** An engine on a fake clock that records every callback with its time. */
export function harness(options: HarnessOptions = {}): Harness {
  const clock = createFakeScheduler();
  const pings: number[] = [];
  const deaths: DeadReason[] = [];
  const deathTimes: number[] = [];
  const { wrap, sendPing, onDead, ...rest } = options;
  const engine = createKeepalive({
    keepaliveMs: 1000,
    ...rest,
    scheduler: wrap ? wrap(clock) : clock,
    sendPing() {
      pings.push(clock.now());
      sendPing?.();
    },
    onDead(reason) {
      deaths.push(reason);
      deathTimes.push(clock.now());
      onDead?.(reason);
    },
  });
  return { clock, engine, pings, deaths, deathTimes };
}

/** Advance in steps of `stepMs`, calling `each` before every step, for `totalMs`. */
export function every(clock: FakeScheduler, stepMs: number, totalMs: number, each: () => void) {
  for (let t = 0; t < totalMs; t += stepMs) {
    each();
    clock.advance(stepMs);
  }
}
