// `pnpm bench`: mqttkit against MQTT.js and the raw ceiling, then the keepalive engine bench.
// `pnpm bench --quick`: every case with tiny sizes (a smoke run: fails on errors, not on speed).
import { cpus, freemem, totalmem } from 'node:os';
import { printTable, runKeepaliveBench } from './keepalive.js';
import { printRows } from './stats.js';
import { PARTS, type Part, runSuite } from './suite.js';

// `--quick`, and `--only throughput,latency,connect,memory,scale` to run a part.
const quick = process.argv.includes('--quick');
const onlyArg = process.argv[process.argv.indexOf('--only') + 1];
const only = process.argv.includes('--only')
  ? (onlyArg ?? '').split(',').filter((p): p is Part => (PARTS as readonly string[]).includes(p))
  : [];
const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

const result = await runSuite({ quick, only, log });
const gb = (b: number): string => `${(b / 2 ** 30).toFixed(1)} GiB`;
console.log(
  printRows(
    `mqttkit vs MQTT.js ${quick ? '(QUICK: sizes too small to mean anything) ' : ''}` +
      `- node ${process.version}, ${cpus().length} CPUs, ${gb(totalmem())} RAM (${gb(freemem())} free), ` +
      `load ${result.load[0].toFixed(2)} -> ${result.load[1].toFixed(2)}, ${result.seconds.toFixed(0)} s, ` +
      new Date().toISOString(),
    result.rows,
  ),
);

if (!quick && only.length === 0) {
  printTable(
    `@mqttkit/keepalive: 100,000 engines (node ${process.version})`,
    await runKeepaliveBench(),
  );
}
