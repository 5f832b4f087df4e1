// Child process for the idle cases (run as `node --expose-gc --import tsx idle-child.ts <json>`),
// so each client library is measured in a fresh heap with its own broker: heap and RSS per idle
// client, and, over a wall-clock window, CPU spent and host timers held by idle clients.
// Prints one JSON line: IdleResult.

import { writeFile } from 'node:fs/promises';
import { createSharedScheduler } from '@mqttkit/keepalive';
import { startBenchBroker } from './broker.js';
import { type BenchConn, mqttjs, mqttkit } from './libs.js';
import { rawIdleConn } from './raw.js';
import { sleep } from './stats.js';
import { liveTimers } from './timer-count.js';
import { touchYoungGeneration, YOUNG_GENERATION_TOUCH_MB } from './young-generation.js';

export interface IdleJob {
  lib: 'mqttkit' | 'mqttkit-shared' | 'MQTT.js' | 'raw';
  clients: number;
  keepalive: number;
  concurrency: number;
  /** 0: memory only. Otherwise the CPU / timers window in ms. */
  windowMs: number;
}

export interface IdleResult {
  heapPerClient: number;
  /** Backing stores of ArrayBuffers (Buffers, typed arrays): outside heapUsed, inside RSS. */
  arrayBuffersPerClient: number;
  rssPerClient: number;
  cpuMsPerMinute: number;
  /** The system (kernel) part of cpuMsPerMinute. */
  systemMsPerMinute: number;
  timersHeld: number;
  pingsInWindow: number;
}

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

function settledMemory(): NodeJS.MemoryUsage {
  for (let i = 0; i < 4; i++) gc?.();
  return process.memoryUsage();
}

const timers = liveTimers;

/**
 * With BENCH_WINDOW_PROFILE=<file>, a CPU profile of the window alone (the idle clients'
 * keepalive work, without the connects before it), for `profile-summary.ts`.
 */
async function startWindowProfile(): Promise<() => Promise<void>> {
  const file = process.env.BENCH_WINDOW_PROFILE;
  if (!file) return async () => {};
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    await writeFile(file, JSON.stringify(profile));
    session.disconnect();
  };
}

async function main(job: IdleJob): Promise<IdleResult> {
  const broker = await startBenchBroker();
  const scheduler = job.lib === 'mqttkit-shared' ? createSharedScheduler() : undefined;
  const lib = job.lib === 'MQTT.js' ? mqttjs : mqttkit;
  const open = async (id: string): Promise<BenchConn> => {
    if (job.lib !== 'raw') {
      const extra = scheduler ? { scheduler } : {};
      return lib.connect(broker.url, { clientId: id, keepalive: job.keepalive, ...extra });
    }
    // The floor: a bare socket that sent CONNECT and read its CONNACK (it never pings).
    return rawIdleConn(broker.port, id, job.keepalive);
  };
  try {
    // One client first, so lazily loaded code and caches are in the baseline, not per client.
    const timersBefore = timers();
    await (await open('idle-warm')).end();
    await sleep(100);
    touchYoungGeneration(YOUNG_GENERATION_TOUCH_MB);
    const before = settledMemory();
    const conns: BenchConn[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: job.concurrency }, async () => {
        while (next < job.clients) conns.push(await open(`idle-${job.lib}-${next++}`));
      }),
    );
    await sleep(500);
    const after = settledMemory();
    const result: IdleResult = {
      heapPerClient: (after.heapUsed - before.heapUsed) / job.clients,
      arrayBuffersPerClient: (after.arrayBuffers - before.arrayBuffers) / job.clients,
      rssPerClient: (after.rss - before.rss) / job.clients,
      cpuMsPerMinute: Number.NaN,
      systemMsPerMinute: Number.NaN,
      timersHeld: timers() - timersBefore,
      pingsInWindow: 0,
    };
    if (job.windowMs > 0) {
      const pings0 = conns.reduce((s, c) => s + c.pings(), 0);
      const profile = await startWindowProfile();
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      let held = 0;
      // Sample the timers now and then; the largest count is what the clients hold.
      while (performance.now() - t0 < job.windowMs) {
        held = Math.max(held, timers()); // sampled before this loop's own sleep is armed
        await sleep(Math.min(1000, job.windowMs / 4));
      }
      const cpu = process.cpuUsage(cpu0);
      await profile();
      const elapsed = performance.now() - t0;
      result.cpuMsPerMinute = ((cpu.user + cpu.system) / 1000 / elapsed) * 60_000;
      result.systemMsPerMinute = (cpu.system / 1000 / elapsed) * 60_000;
      result.timersHeld = held;
      result.pingsInWindow = conns.reduce((s, c) => s + c.pings(), 0) - pings0;
    }
    await Promise.all(conns.map((c) => c.end()));
    return result;
  } finally {
    await broker.close();
  }
}

const job = JSON.parse(process.argv[2] ?? '{}') as IdleJob;
main(job).then(
  (result) => {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    process.exit(0);
  },
  (error: unknown) => {
    process.stderr.write(
      `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
