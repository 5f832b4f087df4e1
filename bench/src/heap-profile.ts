// Where an idle client's heap goes: connects N clients of one library, takes a heap snapshot
// and prints retained self size by constructor, per client, largest first.
//   node --expose-gc --import tsx src/heap-profile.ts mqttkit 1000
import { getHeapSnapshot } from 'node:v8';
import { startBenchBroker } from './broker.js';
import { type BenchConn, mqttjs, mqttkit } from './libs.js';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
  nodes: number[];
  strings: string[];
}

async function readSnapshot(): Promise<Snapshot> {
  const chunks: Buffer[] = [];
  for await (const chunk of getHeapSnapshot()) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Snapshot;
}

function bySize(s: Snapshot): Map<string, { count: number; bytes: number }> {
  const fields = s.snapshot.meta.node_fields;
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const types = s.snapshot.meta.node_types[0];
  const out = new Map<string, { count: number; bytes: number }>();
  for (let i = 0; i < s.nodes.length; i += width) {
    const type = types[s.nodes[i + typeAt] as number] ?? '?';
    const rawName = s.strings[s.nodes[i + nameAt] as number] ?? '?';
    const name = type === 'object' || type === 'closure' ? `${type} ${rawName}` : `(${type})`;
    const entry = out.get(name) ?? { count: 0, bytes: 0 };
    entry.count++;
    entry.bytes += s.nodes[i + sizeAt] as number;
    out.set(name, entry);
  }
  return out;
}

const [libName = 'mqttkit', count = '1000'] = process.argv.slice(2);
const n = Number(count);
const lib = libName === 'MQTT.js' ? mqttjs : mqttkit;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const broker = await startBenchBroker();
try {
  await (await lib.connect(broker.url, { clientId: 'warm' })).end();
  gc();
  const before = bySize(await readSnapshot());
  const conns: BenchConn[] = [];
  for (let i = 0; i < n; i++) conns.push(await lib.connect(broker.url, { clientId: `heap-${i}` }));
  gc();
  const after = bySize(await readSnapshot());
  const rows = [...after]
    .map(([name, a]) => {
      const b = before.get(name) ?? { count: 0, bytes: 0 };
      return { name, count: (a.count - b.count) / n, bytes: (a.bytes - b.bytes) / n };
    })
    .sort((x, y) => y.bytes - x.bytes);
  const total = rows.reduce((sum, r) => sum + r.bytes, 0);
  console.log(`${libName}: ${total.toFixed(0)} B of heap objects per idle client`);
  for (const r of rows.slice(0, 25)) {
    console.log(
      `${r.bytes.toFixed(0).padStart(7)} B ${r.count.toFixed(1).padStart(6)} x  ${r.name}`,
    );
  }
  await Promise.all(conns.map((c) => c.end()));
} finally {
  await broker.close();
}
