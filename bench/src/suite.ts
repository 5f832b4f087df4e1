// The whole benchmark: every case in the same run against one broker (the idle cases start
// their own), with full or quick sizes. Quick mode checks that everything works (no lost message,
// no crash), not how fast it is.
import { loadavg } from 'node:os';
import { startBenchBroker } from './broker.js';
import type { ClientName, Part } from './cli-options.js';
import { runClientBound } from './client-bound.js';
import { runConnectRate } from './connect-rate.js';
import { runMemory, runScale } from './idle.js';
import { runLatency } from './latency.js';
import { LIBS, makeMqttkit, mqttkitFrom } from './libs.js';
import { runLoggerCost } from './logger-cost.js';
import { runOtelCost } from './otel-cost.js';
import type { Row } from './stats.js';
import { runThroughput } from './throughput.js';
import { POOL_SIZES, runWorkerPool } from './worker-pool.js';

export interface SuiteOptions {
  quick: boolean;
  /** Run only these parts (all when empty). */
  only?: readonly Part[];
  /** Rounds of the throughput and logger parts instead of the default. */
  rounds?: number;
  /** Case keys of the throughput and logger parts (all when empty). */
  cases?: readonly string[];
  /** Parties of the throughput part (all when empty). */
  clients?: readonly ClientName[];
  /** A checkout whose built client runs beside this one as `mqttkit@versus`. */
  versus?: string;
  log?: (line: string) => void;
}

/** The throughput part's party for the client loaded with `--versus`. */
export const VERSUS = 'mqttkit@versus';

export interface SuiteResult {
  rows: Row[];
  /** The logger part: mqttkit with pino at `info` against no logger. */
  loggerRows: Row[];
  /** The worker-pool part: messages per second with 1, 2 and 4 workers. */
  poolRows: Row[];
  /** The otel part: mqttkit instrumented, its sampler off, against no instrumentation. */
  otelRows: Row[];
  /** The client-bound part: every party against the bench's own peer instead of mosquitto. */
  clientBoundRows: Row[];
  /** 1-minute load average at start and end, to judge a shared machine. */
  load: [number, number];
  seconds: number;
}

/** Messages per round of the publish cases and of the receive cases. */
const SIZES = {
  quick: {
    n: { 'q0-64': 300, 'q0-16k': 100, 'q1-64': 200, 'q1-16k': 50, 'q2-64': 200, 'q2-16k': 50 },
    receiveN: 300,
    rounds: 1,
    timeoutMs: 10_000,
    bound: { n: { small: 100, large: 20 }, warmUpN: 0, rounds: 1 },
  },
  full: {
    n: {
      'q0-64': 100_000,
      'q0-16k': 10_000,
      'q1-64': 30_000,
      'q1-16k': 5_000,
      'q2-64': 20_000,
      'q2-16k': 3_000,
    },
    receiveN: 50_000,
    rounds: 5,
    timeoutMs: 60_000,
    bound: { n: { small: 50_000, large: 10_000 }, warmUpN: 5000, rounds: 3 },
  },
};

export async function runSuite({
  quick,
  only = [],
  rounds,
  cases = [],
  clients = [],
  versus,
  log = () => {},
}: SuiteOptions): Promise<SuiteResult> {
  const started = performance.now();
  const loadStart = loadavg()[0] ?? 0;
  const rows: Row[] = [];
  const loggerRows: Row[] = [];
  const poolRows: Row[] = [];
  const otelRows: Row[] = [];
  const clientBoundRows: Row[] = [];
  const wants = (part: Part): boolean => only.length === 0 || only.includes(part);
  const size = quick ? SIZES.quick : SIZES.full;
  const sized = { ...size, rounds: rounds ?? size.rounds, cases };
  const has = (name: ClientName): boolean => clients.length === 0 || clients.includes(name);
  const libs = LIBS.filter((lib) => has(lib.name as ClientName));
  if (versus) libs.push(makeMqttkit(VERSUS, await mqttkitFrom(versus)));
  if (wants('client-bound')) log('client-bound (own peer process)...');
  if (wants('client-bound'))
    clientBoundRows.push(
      ...(await runClientBound(
        {
          libs,
          raw: has('raw'),
          cases,
          rounds: rounds ?? size.bound.rounds,
          n: size.bound.n,
          warmUpN: size.bound.warmUpN,
          timeoutMs: size.timeoutMs,
        },
        log,
      )),
    );
  const broker = await startBenchBroker();
  try {
    if (wants('throughput')) log('throughput...');
    if (wants('throughput'))
      rows.push(
        ...(await runThroughput(broker.url, broker.port, { ...sized, libs, raw: has('raw') }, log)),
      );
    if (wants('logger')) log('logger (pino at info vs none)...');
    if (wants('logger'))
      loggerRows.push(
        ...(await runLoggerCost(broker.url, { ...sized, ...(versus ? { versus } : {}) }, log)),
      );
    // Only when named: a plain `pnpm bench` (and its smoke test's time budget) stays as it was.
    const wantsOtel = only.includes('otel');
    if (wantsOtel) log('otel (instrumented, sampler off, vs none)...');
    if (wantsOtel)
      otelRows.push(
        ...(await runOtelCost(broker.url, { ...sized, ...(versus ? { versus } : {}) }, log)),
      );
    if (wants('latency')) log('latency...');
    if (wants('latency'))
      rows.push(
        ...(await runLatency(
          broker.url,
          quick
            ? { rounds: 1, requests: 20, ratePerSecond: 200, timeoutMs: 10_000 }
            : { rounds: 3, requests: 400, ratePerSecond: 200, timeoutMs: 30_000 },
        )),
      );
    if (wants('connect')) log('connect rate...');
    if (wants('connect'))
      rows.push(
        ...(await runConnectRate(
          broker.url,
          broker.port,
          quick
            ? { rounds: 1, connections: 40, concurrency: 10 }
            : { rounds: 3, connections: 1000, concurrency: 50 },
        )),
      );
    if (wants('worker-pool')) {
      log('worker pool (child processes)...');
      poolRows.push(...(await runWorkerPool(broker.url, POOL_SIZES[quick ? 'quick' : 'full'])));
    }
  } finally {
    await broker.close();
  }
  if (wants('memory')) log('memory (child processes)...');
  if (wants('memory'))
    rows.push(
      ...(await runMemory(quick ? { rounds: 1, clients: 50 } : { rounds: 3, clients: 1000 })),
    );
  if (wants('scale')) log('scale (child processes)...');
  if (wants('scale'))
    rows.push(
      ...(await runScale(
        quick
          ? { clients: 50, keepalive: 1, windowMs: 2500 }
          : { clients: 10_000, keepalive: 30, windowMs: 60_000 },
      )),
    );
  return {
    rows,
    loggerRows,
    poolRows,
    otelRows,
    clientBoundRows,
    load: [loadStart, loadavg()[0] ?? 0],
    seconds: (performance.now() - started) / 1000,
  };
}
