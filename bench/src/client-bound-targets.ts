// Issue 20's targets against the client-bound rows, printed as met or missed (never asserted:
// a busy machine must not fail a run): per case, mqttkit's rate >= 2x MQTT.js's and >= 50 % of
// the raw floor's, and its CPU per message >= 2x better than MQTT.js's.
import { CLIENT_BOUND_CASES } from './client-bound.js';
import type { Row } from './stats.js';

const RATE_VS_MQTTJS = 2;
const SHARE_OF_RAW = 0.5;
const CPU_VS_MQTTJS = 2;

const verdict = (value: number, target: number, text: string): string =>
  Number.isFinite(value) ? `${text} ${value >= target ? 'met' : 'MISSED'}` : 'n/a';

export function printTargets(rows: readonly Row[], client = 'mqttkit'): string {
  const lines = [
    '| case | rate vs MQTT.js (>= 2x) | share of raw (>= 50 %) | CPU per message vs MQTT.js (>= 2x) | peer CPU, most of a round |',
    '|---|---:|---:|---:|---:|',
  ];
  for (const c of CLIENT_BOUND_CASES) {
    const rate = (lib: string): number =>
      rows.find((r) => r.case.startsWith(`${c.label} (`) && r.lib === lib)?.value ?? Number.NaN;
    const cpu = (lib: string): number =>
      rows.find((r) => r.case === `${c.label}: client CPU per message` && r.lib === lib)?.value ??
      Number.NaN;
    const mine = rate(client);
    if (!Number.isFinite(mine)) continue;
    const peer = rows
      .filter((r) => r.case === `${c.label}: peer CPU, share of one core`)
      .flatMap((r) => r.rounds);
    const vsMqttjs = mine / rate('MQTT.js');
    const ofRaw = mine / rate('raw');
    const cpuVs = cpu('MQTT.js') / cpu(client);
    lines.push(
      `| ${c.label} | ${verdict(vsMqttjs, RATE_VS_MQTTJS, `${vsMqttjs.toFixed(2)}x`)} | ${verdict(ofRaw, SHARE_OF_RAW, `${Math.round(ofRaw * 100)} %`)} | ${verdict(cpuVs, CPU_VS_MQTTJS, `${cpuVs.toFixed(2)}x`)} | ${peer.length ? `${Math.round(Math.max(...peer))} %` : 'n/a'} |`,
    );
  }
  return lines.join('\n');
}
