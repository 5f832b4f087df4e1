// Parent side of the idle cases: spawns idle-child.ts per client library and collects rows.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IdleJob, IdleResult } from './idle-child.js';
import { median, type Row } from './stats.js';

const here = dirname(fileURLToPath(import.meta.url));

export function runIdleChild(job: IdleJob, timeoutMs: number): Promise<IdleResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', join(here, 'idle-child.ts'), JSON.stringify(job)],
      {
        cwd: join(here, '..'),
        stdio: ['ignore', 'pipe', 'pipe'],
        // The packages as users run them: their built dist/, not the sources tsconfig maps.
        env: { ...process.env, TSX_TSCONFIG_PATH: join(here, '../tsconfig.run.json') },
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0) {
        reject(new Error(`idle child ${job.lib} failed (${code ?? signal}):\n${err || out}`));
        return;
      }
      resolve(JSON.parse(last) as IdleResult);
    });
  });
}

export interface MemoryConfig {
  rounds: number;
  clients: number;
}

export async function runMemory(config: MemoryConfig): Promise<Row[]> {
  const heap = new Map<string, number[]>();
  const buffers = new Map<string, number[]>();
  const rss = new Map<string, number[]>();
  for (let r = 0; r < config.rounds; r++) {
    const libs = ['mqttkit', 'MQTT.js', 'raw'] as const;
    // Both libraries at once: each child has its own heap and broker; idle memory is not timed.
    const results = await Promise.all(
      libs.map((lib) =>
        runIdleChild(
          { lib, clients: config.clients, keepalive: 60, concurrency: 50, windowMs: 0 },
          120_000,
        ),
      ),
    );
    results.forEach((res, i) => {
      const lib = libs[i] as string;
      heap.set(lib, [...(heap.get(lib) ?? []), res.heapPerClient]);
      buffers.set(lib, [...(buffers.get(lib) ?? []), res.arrayBuffersPerClient]);
      rss.set(lib, [...(rss.get(lib) ?? []), res.rssPerClient]);
    });
  }
  const rows: Row[] = [];
  for (const [what, map] of [
    ['heap (heapUsed)', heap],
    ['ArrayBuffers', buffers],
    ['RSS', rss],
  ] as const) {
    for (const [lib, rounds] of map) {
      rows.push({
        case: `${what} per idle client (${config.clients} clients)`,
        lib,
        value: median(rounds),
        unit: 'B',
        better: 'lower',
        rounds,
      });
    }
  }
  return rows;
}

export interface ScaleConfig {
  clients: number;
  keepalive: number;
  windowMs: number;
}

export async function runScale(config: ScaleConfig): Promise<Row[]> {
  const libs = ['mqttkit', 'mqttkit-shared', 'MQTT.js'] as const;
  const results = await Promise.all(
    libs.map((lib) =>
      runIdleChild(
        {
          lib,
          clients: config.clients,
          keepalive: config.keepalive,
          concurrency: 100,
          windowMs: config.windowMs,
        },
        config.windowMs + 180_000,
      ),
    ),
  );
  const label = `${config.clients} idle clients, keepalive ${config.keepalive} s, ${config.windowMs / 1000} s window`;
  const rows: Row[] = [];
  results.forEach((res, i) => {
    const lib = libs[i] === 'mqttkit-shared' ? 'mqttkit' : (libs[i] as string);
    const note = libs[i] === 'mqttkit-shared' ? 'shared scheduler' : undefined;
    const extra = note ? { note } : {};
    rows.push(
      {
        case: `${label}: CPU per minute`,
        lib,
        value: res.cpuMsPerMinute,
        unit: 'ms',
        better: 'lower',
        rounds: [res.cpuMsPerMinute],
        ...extra,
      },
      {
        case: `${label}: timers held`,
        lib,
        value: res.timersHeld,
        unit: '',
        better: 'lower',
        rounds: [res.timersHeld],
        ...extra,
      },
      {
        case: `${label}: PINGREQs sent`,
        lib,
        value: res.pingsInWindow,
        unit: '',
        better: 'lower',
        rounds: [res.pingsInWindow],
        ...extra,
      },
    );
  });
  return rows;
}
