// An outside check of the memory case (`idle-child.ts`): N clients of one library in a fresh
// process, made with the library's own API (no bench wrapper, no listener), measured two ways:
// `heapUsed` after forced GCs (delta / N), and the sum of the self sizes of every object in a
// heap snapshot (`v8.writeHeapSnapshot`, delta / N). With `wrapped`, the same clients are made
// through the bench's `BenchConn` wrapper (`libs.ts`), to see what the wrapper adds.
//   TSX_TSCONFIG_PATH=tsconfig.run.json node --expose-gc --import tsx src/idle-outside.ts mqttkit 1000 [wrapped]
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { createClient } from '@mqttkit/client';
import mqtt from 'mqtt';
import { startBenchBroker } from './broker.js';
import { mqttjs, mqttkit } from './libs.js';
import { sleep } from './stats.js';
import { touchYoungGeneration, YOUNG_GENERATION_TOUCH_MB } from './young-generation.js';

const [libName = 'mqttkit', count = '1000', how = 'direct'] = process.argv.slice(2);
const n = Number(count);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

function settledHeap(): number {
  for (let i = 0; i < 4; i++) gc?.();
  return process.memoryUsage().heapUsed;
}

/** Sum of the self sizes of all nodes of a heap snapshot of this process. */
async function snapshotBytes(): Promise<number> {
  const file = writeHeapSnapshot(
    join(tmpdir(), `idle-outside-${process.pid}-${Date.now()}.heapsnapshot`),
  );
  const snapshot = JSON.parse(await readFile(file, 'utf8')) as {
    snapshot: { meta: { node_fields: string[] } };
    nodes: number[];
  };
  await rm(file);
  const fields = snapshot.snapshot.meta.node_fields;
  const width = fields.length;
  const self = fields.indexOf('self_size');
  let total = 0;
  for (let i = self; i < snapshot.nodes.length; i += width) total += snapshot.nodes[i] as number;
  return total;
}

const broker = await startBenchBroker();
const open = async (id: string): Promise<() => Promise<void>> => {
  if (how === 'wrapped') {
    const conn = await (libName === 'MQTT.js' ? mqttjs : mqttkit).connect(broker.url, {
      clientId: id,
    });
    return () => conn.end();
  }
  if (libName === 'MQTT.js') {
    const client = mqtt.connect(broker.url, {
      clientId: id,
      protocolVersion: 5,
      keepalive: 60,
      reconnectPeriod: 0,
    });
    await new Promise<void>((ok, ko) => {
      client.once('connect', () => ok());
      client.once('error', ko);
    });
    return () => new Promise((ok) => client.end(false, {}, () => ok()));
  }
  const client = createClient({
    url: broker.url,
    clientId: id,
    protocolVersion: 5,
    keepalive: 60,
    reconnect: false,
  });
  await client.connect();
  return () => client.end();
};
try {
  await (await open('outside-warm'))();
  await sleep(100);
  touchYoungGeneration(YOUNG_GENERATION_TOUCH_MB);
  const heap0 = settledHeap();
  const snap0 = await snapshotBytes();
  const ends: Array<() => Promise<void>> = [];
  for (let i = 0; i < n; i++) ends.push(await open(`outside-${i}`));
  await sleep(500);
  const heap1 = settledHeap();
  const snap1 = await snapshotBytes();
  console.log(
    `${libName} (${how}): heapUsed after GC ${((heap1 - heap0) / n).toFixed(0)} B per client, ` +
      `heap snapshot ${((snap1 - snap0) / n).toFixed(0)} B per client (${n} clients)`,
  );
  await Promise.all(ends.map((end) => end()));
} finally {
  await broker.close();
}
