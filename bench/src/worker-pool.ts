// `pnpm bench --only worker-pool`: throughput of apps/worker-pool's consumer group with 1, 2 and
// 4 worker processes on one `$share/<group>/<filter>` subscription of the bench's mosquitto.
// Each worker announces a Receive Maximum of 16, acknowledges after its handler (`ackAfterHandler`)
// and its handler waits `workMs` (an I/O-bound handler), so one worker would top out near
// 16 / workMs messages per ms if the broker kept to the Receive Maximum (mosquitto 2.0.11 sends
// more while PUBACKs flow, see docs/scaling.md); more workers scale until the broker, on the same
// cores, sets the rate. A separate publisher process sends numbered QoS 1 messages, 100 in flight. Timed from
// the first processed message to the last (from the workers' ledgers), so process start-up is
// not counted.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LedgerTail } from '../../apps/worker-pool/src/ledger.js';
import type { Row } from './stats.js';
import { sleep } from './stats.js';

const APP = fileURLToPath(new URL('../../apps/worker-pool/dist/', import.meta.url));

export interface WorkerPoolOptions {
  workers: readonly number[];
  messages: number;
  workMs: number;
  timeoutMs: number;
}

/** Sizes of the part: `--quick` checks that it runs, the full run measures. */
export const POOL_SIZES: Record<'quick' | 'full', WorkerPoolOptions> = {
  quick: { workers: [1, 2], messages: 100, workMs: 5, timeoutMs: 10_000 },
  full: { workers: [1, 2, 4], messages: 10_000, workMs: 5, timeoutMs: 60_000 },
};

function run(script: string, args: string[]): ChildProcess {
  return spawn(process.execPath, [join(APP, script), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

async function waitFor(check: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`worker-pool: timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** Messages per second processed by the pool, one row per worker count. */
export async function runWorkerPool(url: string, options: WorkerPoolOptions): Promise<Row[]> {
  if (!existsSync(join(APP, 'supervise.js'))) {
    throw new Error(`${APP} is not built: pnpm --filter @mqttkit/bench... build`);
  }
  const rows: Row[] = [];
  const dir = await mkdtemp(join(tmpdir(), 'bench-pool-'));
  try {
    for (const workers of options.workers) {
      const tag = `bench-${workers}-${Math.random().toString(16).slice(2, 8)}`;
      const ledgerDir = join(dir, tag);
      const common = ['--url', url, '--prefix', `pool/${tag}`];
      const supervisor = run('supervise.js', [
        ...common,
        '--group',
        tag,
        '--workers',
        String(workers),
        '--receive-maximum',
        '16',
        '--work-ms',
        String(options.workMs),
        '--ledger-dir',
        ledgerDir,
      ]);
      let ready = 0;
      supervisor.stdout?.on('data', (d: Buffer) => {
        ready += d
          .toString()
          .split('\n')
          .filter((l) => l.includes('"event":"ready"')).length;
      });
      const exited = new Promise<void>((resolve) => supervisor.once('exit', () => resolve()));
      try {
        await waitFor(() => ready >= workers, options.timeoutMs, `${workers} workers`);
        const publisher = run('publish.js', [...common, '--count', String(options.messages)]);
        const tail = new LedgerTail(ledgerDir);
        await waitFor(() => tail.poll() > 0, options.timeoutMs, 'the first message');
        const t0 = performance.now();
        await waitFor(
          () => tail.poll() >= options.messages,
          options.timeoutMs,
          `${options.messages} messages processed`,
        );
        const seconds = (performance.now() - t0) / 1000;
        publisher.kill();
        const value = options.messages / seconds;
        rows.push({
          case: `worker pool, QoS 1 via $share, ${options.workMs} ms handler, Receive Maximum 16`,
          lib: workers === 1 ? '1 worker' : `${workers} workers`,
          value,
          unit: 'msg/s',
          better: 'higher',
          rounds: [value],
        });
      } finally {
        supervisor.kill('SIGTERM');
        await exited;
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return rows;
}
