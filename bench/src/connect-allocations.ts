// What connecting allocates, garbage included: V8's sampling heap profiler, told to keep samples
// of objects that scavenges and full GCs already freed, over N connects of one library (or bare
// sockets). Prints bytes allocated per connect and the top allocating functions (self).
//   TSX_TSCONFIG_PATH=tsconfig.run.json node --expose-gc --import tsx src/connect-allocations.ts mqttkit 1000
import { Session } from 'node:inspector/promises';
import { startBenchBroker } from './broker.js';
import { type BenchConn, mqttjs, mqttkit } from './libs.js';
import { rawIdleConn } from './raw.js';

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: ProfileNode[];
}

const [libName = 'mqttkit', count = '1000', top = '25'] = process.argv.slice(2);
const n = Number(count);

const broker = await startBenchBroker();
const open = async (id: string): Promise<BenchConn> => {
  if (libName !== 'raw') {
    const lib = libName === 'MQTT.js' ? mqttjs : mqttkit;
    return lib.connect(broker.url, { clientId: id, keepalive: 60 });
  }
  return rawIdleConn(broker.port, id, 60);
};

const session = new Session();
session.connect();
try {
  await (await open('alloc-warm')).end();
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 512,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  const conns: BenchConn[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 50 }, async () => {
      while (next < n) conns.push(await open(`alloc-${libName}-${next++}`));
    }),
  );
  const { profile } = (await session.post('HeapProfiler.stopSampling')) as unknown as {
    profile: { head: ProfileNode };
  };
  const bySite = new Map<string, number>();
  let total = 0;
  const walk = (node: ProfileNode): void => {
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url.replace(/^.*node_modules\//, '').replace(/^.*\/packages\//, '');
    const site = `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
    bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize);
    total += node.selfSize;
    for (const child of node.children) walk(child);
  };
  walk(profile.head);
  console.log(`${libName}: ${(total / n).toFixed(0)} B allocated per connect (sampled)`);
  for (const [site, bytes] of [...bySite].sort((a, b) => b[1] - a[1]).slice(0, Number(top))) {
    console.log(`${(bytes / n).toFixed(0).padStart(7)} B  ${site}`);
  }
  await Promise.all(conns.map((c) => c.end()));
} finally {
  session.disconnect();
  await broker.close();
}
