// `pnpm bench`: mqttkit against MQTT.js and the raw ceiling, the logger and otel rows, then the keepalive
// engine bench. `pnpm bench --quick`: every case with tiny sizes (a smoke run: fails on errors,
// not on speed). The other options (`--only`, `--rounds`, `--cases`, `--clients`, `--versus`)
// are in `cli-options.ts` and the README.
import { cpus, freemem, totalmem } from 'node:os';
import { parseArgs } from './cli-options.js';
import { printTargets } from './client-bound-targets.js';
import { printTable, runKeepaliveBench } from './keepalive.js';
import { NO_LOGGER } from './logger-cost.js';
import { NO_INSTRUMENTATION } from './otel-cost.js';
import { printRows } from './stats.js';
import { runSuite, VERSUS } from './suite.js';

const args = parseArgs(process.argv.slice(2));
const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

const result = await runSuite({ ...args, log });
const gb = (b: number): string => `${(b / 2 ** 30).toFixed(1)} GiB`;
const machine =
  `node ${process.version}, ${cpus().length} CPUs, ${gb(totalmem())} RAM (${gb(freemem())} free), ` +
  `load ${result.load[0].toFixed(2)} -> ${result.load[1].toFixed(2)}, ${result.seconds.toFixed(0)} s, ` +
  new Date().toISOString();
const quick = args.quick ? '(QUICK: sizes too small to mean anything) ' : '';
const versus = args.versus ? ` (${VERSUS}: the client built in ${args.versus})` : '';
if (result.rows.length > 0) {
  console.log(
    printRows(
      `mqttkit vs MQTT.js ${quick}- ${machine}${versus}`,
      result.rows,
      args.versus ? VERSUS : 'MQTT.js',
    ),
  );
}
if (result.clientBoundRows.length > 0) {
  if (result.rows.length > 0) console.log('');
  console.log(
    printRows(
      `client-bound: against the bench's own peer process, not mosquitto ${quick}- ${machine}${versus}`,
      result.clientBoundRows,
      args.versus ? VERSUS : 'MQTT.js',
    ),
  );
  console.log('');
  console.log(`client-bound targets (issue 20; printed, not asserted) ${quick}`);
  console.log('');
  console.log(printTargets(result.clientBoundRows));
}
if (result.loggerRows.length > 0) {
  if (result.rows.length > 0 || result.clientBoundRows.length > 0) console.log('');
  console.log(
    printRows(
      `mqttkit with a pino logger at level info vs no logger ${quick}- ${machine}${versus}`,
      result.loggerRows,
      NO_LOGGER,
    ),
  );
}
if (result.otelRows.length > 0) {
  if (result.rows.length > 0 || result.loggerRows.length > 0) console.log('');
  console.log(
    printRows(
      `mqttkit with @mqttkit/otel, sampler records nothing, vs no instrumentation ${quick}- ${machine}${versus}`,
      result.otelRows,
      NO_INSTRUMENTATION,
    ),
  );
}

if (result.poolRows.length > 0) {
  if (result.rows.length + result.loggerRows.length > 0) console.log('');
  console.log(
    printRows(
      `apps/worker-pool on one shared subscription of a local mosquitto ${quick}- ${machine} ` +
        '(the broker, the publisher and the workers share these CPUs: past a few workers the ' +
        'broker sets the rate)',
      result.poolRows,
      '1 worker',
    ),
  );
}

const everything = args.only.length === 0 && args.cases.length === 0 && args.clients.length === 0;
if (!args.quick && everything && args.rounds === undefined && !args.versus) {
  printTable(
    `@mqttkit/keepalive: 100,000 engines (node ${process.version})`,
    await runKeepaliveBench(),
  );
}
