// The client's metrics through the real metrics SDK, against aedes (in-process): message counts
// and durations under the messaging conventions' names, connection state, reconnects with their
// close reason, in-flight and queued operations, keepalive round trip.
import { type CloseReason, createClient, type MqttClient } from '@mqttkit/client';
import { startAedes, until } from '@mqttkit/testkit';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { expect, it } from 'vitest';
import { destinationFromFilters, instrumentClient } from '../src/index.js';
import { metricsSdk } from './sdk.js';

type Point = { attributes: Record<string, unknown>; value: unknown };

/** The points of metric `name` in the last export. */
function points(exported: ResourceMetrics[], name: string): Point[] {
  const last = exported[exported.length - 1];
  const metric = last?.scopeMetrics
    .flatMap((s) => s.metrics)
    .find((m) => m.descriptor.name === name);
  return (metric?.dataPoints ?? []) as Point[];
}

/** Ends the clients, then the broker, then the meter provider. */
async function closeAll(
  clients: MqttClient[],
  broker: { close(): Promise<void> },
  meterProvider: { shutdown(): Promise<void> },
): Promise<void> {
  for (const client of clients) await client.end({ force: true });
  await broker.close();
  await meterProvider.shutdown();
}

it('counts, durations, state, reconnects, in-flight and keepalive round trip', async () => {
  const broker = await startAedes();
  const { meterProvider, exporter, reader } = metricsSdk();
  const client: MqttClient = createClient({
    url: broker.url,
    protocolVersion: 4,
    clientId: 'metrics-1',
    keepalive: 1,
    reconnect: { initialDelay: 10, maxDelay: 20 },
  });
  const dispose = instrumentClient(client, { meterProvider, clientId: 'metrics-1' });
  const other = createClient({ url: broker.url, protocolVersion: 4, reconnect: false });
  try {
    await client.connect();
    await client.subscribe('m/#', { qos: 1 });
    let processed = 0;
    client.on('message', async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      processed++;
    });
    await client.publish('out/a', 'x', { qos: 1 });
    await client.publish('out/b', 'y', { qos: 0 });
    await expect(client.publish('out/#', 'bad')).rejects.toThrow();
    // aedes does not deliver a client's own messages back to it: another client sends them.
    await other.connect();
    await other.publish('m/a', 'x', { qos: 1 });
    await other.publish('m/b', 'y', { qos: 1 });
    await until(() => processed === 2, 3000, 'both messages processed');
    const closes: CloseReason[] = [];
    client.on('close', (r) => closes.push(r));
    client.reconnect();
    await until(() => closes.length === 1 && client.state === 'connected', 3000, 'reconnected');
    // A reconnect is counted once the client is connected again, with why the link closed.
    expect(closes[0]?.type).toBe('local-end');
    await until(() => client.stats().pongsReceived > 0, 4000, 'a PINGRESP');
    await reader.forceFlush();
    const exported = exporter.getMetrics();

    const sent = points(exported, 'messaging.client.sent.messages');
    const ok = sent.find((p) => p.attributes['error.type'] === undefined);
    expect(ok?.value).toBe(2);
    expect(ok?.attributes).toEqual({
      'messaging.system': 'mqtt',
      'messaging.client.id': 'metrics-1',
      'messaging.operation.name': 'send',
    });
    expect(sent.find((p) => p.attributes['error.type'] !== undefined)?.value).toBe(1);
    const consumed = points(exported, 'messaging.client.consumed.messages');
    expect(consumed.reduce((n, p) => n + Number(p.value), 0)).toBe(2);
    const process = points(exported, 'messaging.process.duration')[0]?.value as {
      count: number;
      min: number;
    };
    expect(process.count).toBe(2);
    expect(process.min).toBeGreaterThanOrEqual(0.004); // the async listener was awaited
    const operation = points(exported, 'messaging.client.operation.duration')[0]?.value as {
      count: number;
    };
    expect(operation.count).toBe(2);
    expect(points(exported, 'messaging.mqtt.client.connection.state')).toEqual([
      expect.objectContaining({
        value: 1,
        attributes: expect.objectContaining({ 'messaging.mqtt.connection.state': 'connected' }),
      }),
    ]);
    expect(points(exported, 'messaging.mqtt.client.reconnects')).toEqual([
      expect.objectContaining({
        value: 1,
        attributes: expect.objectContaining({ 'messaging.mqtt.close_reason': closes[0]?.type }),
      }),
    ]);
    expect(points(exported, 'messaging.mqtt.client.inflight')[0]?.value).toBe(0);
    expect(points(exported, 'messaging.mqtt.client.queued')[0]?.value).toBe(0);
    const rtt = points(exported, 'messaging.mqtt.client.keepalive.rtt')[0]?.value as {
      count: number;
    };
    expect(rtt.count).toBeGreaterThanOrEqual(1);
  } finally {
    dispose();
    await closeAll([other, client], broker, meterProvider);
  }
});

it('counts each destination template apart, and a failed send apart from the sent ones', async () => {
  // The attribute sets of messages that did not fail are made once per template and reused
  // (metrics.ts): the counts must still land on the right template.
  const broker = await startAedes();
  const { meterProvider, exporter, reader } = metricsSdk();
  const client = createClient({ url: broker.url, protocolVersion: 4, reconnect: false });
  const other = createClient({ url: broker.url, protocolVersion: 4, reconnect: false });
  const dispose = instrumentClient(client, {
    meterProvider,
    destination: destinationFromFilters(['m/+', 'n/+']),
  });
  try {
    await client.connect();
    await client.subscribe(['m/+', 'n/+'], { qos: 1 });
    let processed = 0;
    client.on('message', () => {
      processed++;
    });
    await other.connect();
    for (const topic of ['m/a', 'n/a', 'm/b', 'm/c', 'n/b', 'x/a']) {
      await other.publish(topic, 'x', { qos: 1 });
    }
    await until(() => processed === 5, 3000, 'five messages processed');
    for (const topic of ['m/a', 'm/b', 'n/a', 'x/y']) await client.publish(topic, 'y', { qos: 1 });
    await expect(client.publish('m/#', 'bad')).rejects.toThrow();
    // Its own three sends on subscribed topics come back to it too (3.1.1 has no No Local).
    await until(() => processed === 8, 3000, 'its own messages processed');
    await reader.forceFlush();
    const exported = exporter.getMetrics();
    const byTemplate = (name: string, failed: boolean) =>
      Object.fromEntries(
        points(exported, name)
          .filter((p) => (p.attributes['error.type'] !== undefined) === failed)
          .map((p) => [String(p.attributes['messaging.destination.template']), p.value]),
      );
    expect(byTemplate('messaging.client.consumed.messages', false)).toEqual({ 'm/+': 5, 'n/+': 3 });
    expect(byTemplate('messaging.client.sent.messages', false)).toEqual({
      'm/+': 2,
      'n/+': 1,
      undefined: 1,
    });
    expect(byTemplate('messaging.client.sent.messages', true)).toEqual({ 'm/+': 1 });
  } finally {
    dispose();
    await closeAll([other, client], broker, meterProvider);
  }
});
