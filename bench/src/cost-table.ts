// What one addition to the client costs: variants of mqttkit measured in the same run, rounds
// interleaved, client CPU per message (publisher + subscriber, the same rounds as the throughput
// part) over the 64 B publish cases. The logger part and the otel part are two such tables.
import type { BenchLib } from './libs.js';
import { cpuRows, measurePublishCase, PUBLISH_CASES, warmUp } from './publish-rounds.js';
import type { Row } from './stats.js';
import { closeAfter, libParty, type Party } from './throughput.js';

export interface CostTableConfig {
  rounds: number;
  /** Messages per round by case key; the 64 B publish cases are measured. */
  n: Record<string, number>;
  /** Case keys to run; all 64 B publish cases when empty. */
  cases: readonly string[];
  timeoutMs: number;
  /** Another build's checkout (`--versus`): its client is measured the same way. */
  versus?: string;
}

/** Measures `libs` case by case; `tag` names their client ids and topics. */
export async function runCostTable(
  url: string,
  libs: readonly BenchLib[],
  config: CostTableConfig,
  tag: string,
  log: (line: string) => void,
): Promise<Row[]> {
  const parties: Party[] = [];
  for (const [i, lib] of libs.entries())
    parties.push(await libParty(lib, url, `${tag}-${i}`, config.timeoutMs));
  const rows: Row[] = [];
  let failure: unknown;
  try {
    await warmUp(parties, tag);
    const cases = PUBLISH_CASES.filter(
      (c) => c.size === 64 && (config.cases.length === 0 || config.cases.includes(c.key)),
    );
    for (const c of cases) {
      const n = config.n[c.key] ?? 1000;
      const { cpu } = await measurePublishCase(parties, c, n, config.rounds, tag);
      rows.push(...cpuRows({ ...c, label: `${c.label} (${n})` }, cpu));
      log(`  ${c.label}: done`);
    }
  } catch (error) {
    failure = error;
    throw error;
  } finally {
    await closeAfter(failure, Promise.all(parties.map((p) => p.close())), log);
  }
  return rows;
}
