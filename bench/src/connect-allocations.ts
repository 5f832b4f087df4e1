// What connecting allocates, garbage included: V8's sampling heap profiler, told to keep samples
// of objects that scavenges and full GCs already freed, over N connects of one library (or bare
// sockets). Prints bytes allocated per connect and the top allocating functions (self).
//   TSX_TSCONFIG_PATH=tsconfig.run.json node --expose-gc --import tsx src/connect-allocations.ts mqttkit 1000
import { sampleAllocations } from './allocation-sampler.js';
import { startBenchBroker } from './broker.js';
import { type BenchConn, mqttjs, mqttkit } from './libs.js';
import { rawIdleConn } from './raw.js';

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

try {
  await (await open('alloc-warm')).end();
  const conns: BenchConn[] = [];
  const { total, bySite } = await sampleAllocations(async () => {
    let next = 0;
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        while (next < n) conns.push(await open(`alloc-${libName}-${next++}`));
      }),
    );
  });
  console.log(`${libName}: ${(total / n).toFixed(0)} B allocated per connect (sampled)`);
  for (const [site, bytes] of [...bySite].sort((a, b) => b[1] - a[1]).slice(0, Number(top))) {
    console.log(`${(bytes / n).toFixed(0).padStart(7)} B  ${site}`);
  }
  await Promise.all(conns.map((c) => c.end()));
} finally {
  await broker.close();
}
