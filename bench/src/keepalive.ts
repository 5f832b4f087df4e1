// 100,000 keepalive engines on one shared scheduler: memory per engine, CPU per second of idle
// time, cost of the hot-path call, and how many host timers they hold. Numbers, not a pass/fail.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  createKeepalive,
  createSharedScheduler,
  type Keepalive,
  realScheduler,
  type Scheduler,
} from '@mqttkit/keepalive';

const ENGINES = 100_000;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapUsed(): number {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Wraps a scheduler to count the timers it holds right now (scheduled, not fired or cancelled). */
function countTimers(base: Scheduler): { scheduler: Scheduler; live: () => number } {
  let live = 0;
  return {
    live: () => live,
    scheduler: {
      now: base.now,
      at(timeMs, fn) {
        live++;
        let done = false;
        const cancel = base.at(timeMs, () => {
          done = true;
          live--;
          fn();
        });
        return () => {
          if (done) return;
          done = true;
          live--;
          cancel();
        };
      },
    },
  };
}

const noop = (): void => {};
const mustNotDie = (): void => {
  throw new Error('an answered engine must not die');
};

/**
 * Started engines. With `counters`, each one's "broker" answers every PINGREQ on the next
 * microtask; without, they share no-op callbacks so the heap figure is the engine's own cost.
 */
function startEngines(
  scheduler: Scheduler,
  keepaliveMs: (i: number) => number,
  counters?: { pings: number },
): Keepalive[] {
  const engines: Keepalive[] = new Array(ENGINES);
  for (let i = 0; i < ENGINES; i++) {
    const engine: Keepalive = createKeepalive({
      keepaliveMs: keepaliveMs(i),
      scheduler,
      sendPing: counters
        ? () => {
            counters.pings++;
            queueMicrotask(() => engine.pingAnswered());
          }
        : noop,
      onDead: counters ? mustNotDie : noop,
    });
    engine.start();
    engines[i] = engine;
  }
  return engines;
}

/** CPU milliseconds (user + system) per wall-clock second over `windowMs`. */
async function cpuPerSecond(windowMs: number): Promise<number> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await sleep(windowMs);
  const cpu = process.cpuUsage(cpu0);
  const wall = performance.now() - t0;
  return (cpu.user + cpu.system) / 1000 / (wall / 1000);
}

function nsPerCall(engines: Keepalive[], call: (e: Keepalive) => void): number {
  const rounds = 50;
  // Warm up the JIT on the same call site first.
  for (const e of engines) call(e);
  const t0 = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) for (const e of engines) call(e);
  return Number(process.hrtime.bigint() - t0) / (rounds * engines.length);
}

type Row = [string, string, string];

export async function runKeepaliveBench(): Promise<Row[]> {
  const rows: Row[] = [];
  const fmt = (n: number, digits = 0) =>
    n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

  // 1. Shared scheduler, keepalive 60 s: nothing is due during the measurement.
  {
    const before = heapUsed();
    const counted = countTimers(realScheduler);
    const shared = createSharedScheduler({ base: counted.scheduler });
    let engines = startEngines(shared, () => 60_000);
    const perEngine = (heapUsed() - before) / ENGINES;
    rows.push([
      'heap per started engine',
      `${fmt(perEngine)} B`,
      'shared, K=60 s, incl. heap entry',
    ]);
    rows.push(['host timers held', fmt(counted.live()), `shared, ${fmt(ENGINES)} engines`]);
    rows.push([
      'CPU per second of idle time',
      `${fmt(await cpuPerSecond(2000), 2)} ms`,
      'shared, K=60 s, nothing due',
    ]);
    rows.push([
      'packetSent()',
      `${fmt(
        nsPerCall(engines, (e) => e.packetSent()),
        1,
      )} ns`,
      'per call, shared',
    ]);
    rows.push([
      'packetReceived()',
      `${fmt(
        nsPerCall(engines, (e) => e.packetReceived()),
        1,
      )} ns`,
      'per call, shared',
    ]);
    rows.push([
      'host timers after 10M activity calls',
      fmt(counted.live()),
      'hot path never schedules',
    ]);
    for (const e of engines) e.stop();
    rows.push([
      'host timers after stop() of all',
      fmt(counted.live()),
      `pending ${shared.stats().pending}`,
    ]);
    engines = [];
  }

  // 2. Shared scheduler, keepalive 1-2 s spread over engines: ~70k PINGREQs per second, each
  // answered, which is what an idle fleet does on a short keepalive.
  {
    const shared = createSharedScheduler();
    const counters = { pings: 0 };
    const engines = startEngines(shared, (i) => 1000 + (i % 1000), counters);
    await sleep(2200); // every engine has pinged at least once
    const pings0 = counters.pings;
    const t0 = performance.now();
    const cpuMs = await cpuPerSecond(3000);
    const pingsPerSecond = (counters.pings - pings0) / ((performance.now() - t0) / 1000);
    rows.push([
      'CPU per second of idle time',
      `${fmt(cpuMs, 1)} ms`,
      `shared, K=1-2 s, ${fmt(pingsPerSecond)} pings/s answered`,
    ]);
    rows.push([
      'CPU per ping (engine + scheduler)',
      `${fmt((cpuMs * 1000) / pingsPerSecond, 2)} µs`,
      'same run',
    ]);
    rows.push(['host timers held', fmt(shared.stats().timers), 'same run']);
    for (const e of engines) e.stop();
  }

  // 3. For contrast: the default scheduler, one host timer per engine.
  {
    const before = heapUsed();
    const counted = countTimers(realScheduler);
    const engines = startEngines(counted.scheduler, () => 60_000);
    const perEngine = (heapUsed() - before) / ENGINES;
    rows.push([
      'heap per started engine',
      `${fmt(perEngine)} B`,
      'default scheduler, incl. its timer',
    ]);
    rows.push(['host timers held', fmt(counted.live()), 'default scheduler']);
    for (const e of engines) e.stop();
  }
  return rows;
}

export function printTable(title: string, rows: Row[]): void {
  const header: Row = ['measure', 'value', 'setup'];
  const widths = [0, 1, 2].map((c) => Math.max(...[header, ...rows].map((r) => r[c]?.length ?? 0)));
  const line = (r: Row) =>
    `| ${r[0].padEnd(widths[0] ?? 0)} | ${r[1].padStart(widths[1] ?? 0)} | ${r[2].padEnd(widths[2] ?? 0)} |`;
  console.log(`\n${title}\n`);
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
}
