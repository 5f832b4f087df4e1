// What `@mqttkit/otel` costs per message when the sampler records nothing (issue 19): mqttkit
// with no instrumentation against mqttkit instrumented with a real tracer provider whose sampler
// is `AlwaysOffSampler` (a non-recording span per publish and per delivery, the W3C context still
// injected as user properties and extracted, the metrics API's no-op meter), in the same rounds.
// With `--versus DIR` the other build's client without instrumentation runs beside them: the
// cost of the hook itself when none is installed.
import { createClient, type MqttClient } from '@mqttkit/client';
import { instrumentClient } from '@mqttkit/otel';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { AlwaysOffSampler, BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { type CostTableConfig, runCostTable } from './cost-table.js';
import { type BenchLib, makeMqttkit, mqttkitFrom } from './libs.js';
import type { Row } from './stats.js';

/** The reference of the otel table: the `vs` column compares every row with it. */
export const NO_INSTRUMENTATION = 'no instrumentation';

export async function runOtelCost(
  url: string,
  config: CostTableConfig,
  log: (line: string) => void,
): Promise<Row[]> {
  const tracerProvider = new BasicTracerProvider({ sampler: new AlwaysOffSampler() });
  const propagator = new W3CTraceContextPropagator();
  const instrument = (client: MqttClient): void => {
    instrumentClient(client, { tracerProvider, propagator });
  };
  const libs: BenchLib[] = [
    makeMqttkit(NO_INSTRUMENTATION, createClient),
    makeMqttkit('otel, sampler records nothing', createClient, undefined, instrument),
  ];
  if (config.versus) {
    libs.push(makeMqttkit(`versus: ${NO_INSTRUMENTATION}`, await mqttkitFrom(config.versus)));
  }
  return runCostTable(url, libs, config, 'otel', log);
}
