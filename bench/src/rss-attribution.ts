// Where an idle client's RSS goes: connects N clients of one library (or bare sockets) in a fresh
// process, forces GC, and prints per-client deltas of process.memoryUsage(), of each V8 heap
// space (committed, physical and used), and of /proc/self/status, so RSS can be split into V8
// heap pages in use, V8 heap pages committed but empty, ArrayBuffer stores and native memory.
//   TSX_TSCONFIG_PATH=tsconfig.run.json node --expose-gc --import tsx src/rss-attribution.ts '{"lib":"mqttkit","clients":1000}'
// Options: concurrency (connects at a time, 50), gcRounds (forced GCs before each reading, 4),
// settleMs (wait before the last reading, 500), pretouchMb (make the young generation resident
// before the baseline, so its pages are not counted as the clients').
import { readFileSync } from 'node:fs';
import { getHeapSpaceStatistics, getHeapStatistics } from 'node:v8';
import { startBenchBroker } from './broker.js';
import { type BenchConn, mqttjs, mqttkit } from './libs.js';
import { rawIdleConn } from './raw.js';
import { sleep } from './stats.js';
import { touchYoungGeneration } from './young-generation.js';

interface Job {
  lib: 'mqttkit' | 'MQTT.js' | 'raw';
  clients: number;
  concurrency?: number;
  gcRounds?: number;
  settleMs?: number;
  /**
   * Allocate this many MB of short-lived garbage before the baseline, so every page of V8's
   * young generation is already resident and the connects cannot add any.
   */
  pretouchMb?: number;
}

type Reading = Record<string, number>;

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

/** Kernel's view (kB in /proc/self/status): anonymous vs file-backed resident pages. */
function procStatus(): Reading {
  const out: Reading = {};
  const text = readFileSync('/proc/self/status', 'utf8');
  for (const key of ['VmRSS', 'RssAnon', 'RssFile', 'VmData']) {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text);
    if (m) out[`proc.${key}`] = Number(m[1]) * 1024;
  }
  return out;
}

function read(gcRounds: number): Reading {
  for (let i = 0; i < gcRounds; i++) gc?.();
  const m = process.memoryUsage();
  const r: Reading = {
    rss: m.rss,
    heapTotal: m.heapTotal,
    heapUsed: m.heapUsed,
    external: m.external,
    arrayBuffers: m.arrayBuffers,
  };
  let physical = 0;
  for (const s of getHeapSpaceStatistics()) {
    r[`${s.space_name}.size`] = s.space_size;
    r[`${s.space_name}.physical`] = s.physical_space_size;
    r[`${s.space_name}.used`] = s.space_used_size;
    physical += s.physical_space_size;
  }
  r['v8.physical'] = physical;
  const h = getHeapStatistics();
  r['v8.malloced'] = h.malloced_memory;
  r['v8.globalHandles'] = h.used_global_handles_size;
  return { ...r, ...procStatus() };
}

async function main(job: Job): Promise<void> {
  const { clients, concurrency = 50, gcRounds = 4, settleMs = 500 } = job;
  const broker = await startBenchBroker();
  const lib = job.lib === 'MQTT.js' ? mqttjs : mqttkit;
  const open = async (id: string): Promise<BenchConn> => {
    if (job.lib !== 'raw') return lib.connect(broker.url, { clientId: id, keepalive: 60 });
    return rawIdleConn(broker.port, id, 60);
  };
  try {
    await (await open('rss-warm')).end();
    await sleep(100);
    touchYoungGeneration(job.pretouchMb ?? 0);
    const before = read(gcRounds);
    const conns: BenchConn[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < clients) conns.push(await open(`rss-${job.lib}-${next++}`));
      }),
    );
    await sleep(settleMs);
    const after = read(gcRounds);
    const perClient: Reading = {};
    for (const [key, value] of Object.entries(after)) {
      perClient[key] = Math.round((value - (before[key] ?? 0)) / clients);
    }
    // RSS not explained by V8's resident heap pages or ArrayBuffer stores: malloc'd native memory
    // (sockets, handles, stream state) and anything else outside V8's heap.
    perClient.native =
      (perClient.rss ?? 0) - (perClient['v8.physical'] ?? 0) - (perClient.arrayBuffers ?? 0);
    const newSpace = ['size', 'physical', 'used'].map(
      (k) => `${k} ${before[`new_space.${k}`]} -> ${after[`new_space.${k}`]}`,
    );
    process.stdout.write(`${JSON.stringify({ job, perClient, newSpace })}\n`);
    await Promise.all(conns.map((c) => c.end()));
  } finally {
    await broker.close();
  }
}

main(JSON.parse(process.argv[2] ?? '{}') as Job).then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : error}\n`);
    process.exit(1);
  },
);
