// What a logger that logs nothing on the hot path costs: mqttkit with a pino logger at level
// `info` against mqttkit with no logger, in the same run, rounds interleaved, client CPU per
// message (publisher + subscriber, the same rounds as the throughput part). At `info` pino makes
// `trace` and `debug` its own no-op functions, so a client that asks the logger which levels are
// on (pino's `isLevelEnabled`) pays nothing per packet, and one that only compares `trace` with
// its own no-op builds log objects for pino to drop (issue 16). Whatever the client does, this
// row shows it: the logger is real pino, and its sink counts what reached it.
import { createClient } from '@mqttkit/client';
import type { DestinationStream } from 'pino';
import { pino } from 'pino';
import { type CostTableConfig, runCostTable } from './cost-table.js';
import { type BenchLib, makeMqttkit, mqttkitFrom } from './libs.js';
import type { Row } from './stats.js';

export type LoggerCostConfig = CostTableConfig;

/** The reference of the logger table: the `vs` column compares every row with it. */
export const NO_LOGGER = 'no logger';

/** A pino destination that keeps nothing and counts what it was given. */
function countingSink(): DestinationStream & { bytes: number } {
  return {
    bytes: 0,
    write(line: string) {
      this.bytes += line.length;
    },
  };
}

export async function runLoggerCost(
  url: string,
  config: LoggerCostConfig,
  log: (line: string) => void,
): Promise<Row[]> {
  const sink = countingSink();
  const logger = pino({ level: 'info' }, sink);
  const builds: Array<[string, typeof createClient]> = [['', createClient]];
  if (config.versus) builds.push(['versus: ', await mqttkitFrom(config.versus)]);
  const libs: BenchLib[] = builds.flatMap(([prefix, create]) => [
    makeMqttkit(`${prefix}${NO_LOGGER}`, create),
    makeMqttkit(`${prefix}pino at info`, create, logger),
  ]);
  const before = sink.bytes;
  const rows = await runCostTable(url, libs, config, 'log', log);
  // At `info` nothing on the publish path should reach the sink; say so if something did. (The
  // warm-up is counted too: it publishes the same way.)
  log(`  pino at info wrote ${sink.bytes - before} bytes during the rounds`);
  return rows;
}
