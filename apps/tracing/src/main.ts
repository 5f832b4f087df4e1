// `pnpm tracing`: one message's path as one trace. Two sensors publish readings with
// `request()`; a worker in a shared subscription processes each (asynchronously) and answers with
// `respond()`; the sensor gets the reply. Every client is instrumented by `@mqttkit/otel`, the
// trace context travels in `traceparent` user properties through mosquitto (MQTT 5), and the
// spans are printed as trees at the end. Without mosquitto, an embedded aedes broker (MQTT 3.1.1)
// carries the context in the JSON payloads instead.
import { createClient, type MqttClient } from '@mqttkit/client';
import { destinationFromFilters, instrumentClient } from '@mqttkit/otel';
import {
  type AedesHandle,
  hasMosquitto,
  type MosquittoHandle,
  startAedes,
  startMosquitto,
} from '@mqttkit/testkit';
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { TreeConsoleExporter } from './tree-exporter.js';

// The application's OpenTelemetry SDK: async context across awaits, W3C propagation, and the
// tree-printing console exporter.
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const exporter = new TreeConsoleExporter();
const tracerProvider = new BasicTracerProvider({
  spanProcessors: [new SimpleSpanProcessor(exporter)],
});
const tracer = tracerProvider.getTracer('tracing-app');
const propagator = new W3CTraceContextPropagator();

const v5 = hasMosquitto && process.argv[2] !== '--aedes';
const broker: MosquittoHandle | AedesHandle = v5 ? await startMosquitto() : await startAedes();
// Workers share the readings (a `$share` group under MQTT 5; aedes has no shared subscriptions).
const WORK_FILTER = v5 ? '$share/workers/sensors/+/temp' : 'sensors/+/temp';
console.log(v5 ? `mosquitto (MQTT 5) on ${broker.url}` : `aedes (MQTT 3.1.1) on ${broker.url}`);

const clients: MqttClient[] = [];
async function connected(clientId: string): Promise<MqttClient> {
  const client = createClient({ url: broker.url, clientId, protocolVersion: v5 ? 5 : 4 });
  instrumentClient(client, {
    tracerProvider,
    propagator,
    clientId,
    server: broker.url,
    jsonCarrier: !v5,
    // Span names from filters: `send sensors/+/temp`, never one name per sensor or reply topic.
    destination: destinationFromFilters([WORK_FILTER, 'sensors/+/replies', 'mqttkit/responses/+']),
  });
  clients.push(client);
  await client.connect();
  return client;
}

const worker = await connected('worker-1');
await worker.subscribe(WORK_FILTER, { qos: 1 });
worker.on('message', async (reading) => {
  // Inside the `process` span: this child span and the reply join the sensor's trace.
  const celsius = (JSON.parse(new TextDecoder().decode(reading.payload)) as { celsius: number })
    .celsius;
  const verdict = await tracer.startActiveSpan('classify reading', async (span) => {
    await new Promise((resolve) => setTimeout(resolve, 15));
    span.end();
    return celsius > 30 ? 'too hot' : 'ok';
  });
  const reply = JSON.stringify({ verdict });
  if (v5) await worker.respond(reading, reply, { qos: 1 });
  else await worker.publish(`${reading.topic.replace(/temp$/, 'replies')}`, reply, { qos: 1 });
});

for (const [id, celsius] of [
  ['1', 21.5],
  ['2', 34],
] as const) {
  const sensor = await connected(`sensor-${id}`);
  const payload = JSON.stringify({ celsius });
  await tracer.startActiveSpan(`sensor ${id} reading`, async (span) => {
    let reply: string;
    if (v5) {
      const answer = await sensor.request(`sensors/${id}/temp`, payload, { qos: 1 });
      reply = new TextDecoder().decode(answer.payload);
    } else {
      await sensor.subscribe(`sensors/${id}/replies`, { qos: 1 });
      const answered = new Promise<string>((resolve) =>
        sensor.once('message', (m) => resolve(new TextDecoder().decode(m.payload))),
      );
      await sensor.publish(`sensors/${id}/temp`, payload, { qos: 1 });
      reply = await answered;
    }
    console.log(`sensor-${id}: ${celsius} °C -> ${reply}`);
    span.end();
  });
}

// Let the last process spans end (they end after their listeners), then print the trees.
await new Promise((resolve) => setTimeout(resolve, 50));
await Promise.all(clients.map((c) => c.end()));
await broker.close();
console.log('');
await tracerProvider.shutdown();
