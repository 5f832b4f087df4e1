// MQTT 3.1.1 through aedes (in-process): the opt-in JSON payload carrier, and a publish lost with
// its link (the broker holds the PUBLISH unanswered, then goes away).
import { createClient, type Message, type MqttClient } from '@mqttkit/client';
import { type AedesHandle, startAedes, until } from '@mqttkit/testkit';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { instrumentClient } from '../src/index.js';
import { type TestSdk, tracingSdk } from './sdk.js';

const clients: MqttClient[] = [];
const disposers: Array<() => void> = [];
let broker: AedesHandle | undefined;
afterEach(async () => {
  for (const dispose of disposers.splice(0)) dispose();
  await Promise.all(clients.splice(0).map((c) => c.end({ force: true })));
  await broker?.close();
  broker = undefined;
});

async function client(url: string, sdk: TestSdk, jsonCarrier: boolean): Promise<MqttClient> {
  const c = createClient({ url, protocolVersion: 4, reconnect: false });
  clients.push(c);
  disposers.push(
    instrumentClient(c, {
      tracerProvider: sdk.tracerProvider,
      propagator: sdk.propagator,
      jsonCarrier,
    }),
  );
  await c.connect();
  return c;
}

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

describe('MQTT 3.1.1 (aedes)', () => {
  it('the JSON carrier: traceparent in the outermost object, the consumer parented to it', async () => {
    broker = await startAedes();
    const sdk = tracingSdk();
    const subscriber = await client(broker.url, sdk, true);
    await subscriber.subscribe('readings/#', { qos: 1 });
    const received: Message[] = [];
    subscriber.on('message', (m) => {
      received.push(m);
    });
    const publisher = await client(broker.url, sdk, true);
    await publisher.publish('readings/json', JSON.stringify({ celsius: 21.5, nested: { a: 1 } }), {
      qos: 1,
    });
    await publisher.publish('readings/text', 'not json', { qos: 1 });
    await until(() => sdk.byName('process').length === 2, 3000, 'both process spans');

    const [jsonSend, textSend] = sdk.byName('send');
    const body = JSON.parse(text(received[0]?.payload ?? new Uint8Array())) as Record<
      string,
      unknown
    >;
    expect(body).toEqual({
      celsius: 21.5,
      nested: { a: 1 },
      traceparent: `00-${jsonSend?.spanContext().traceId}-${jsonSend?.spanContext().spanId}-01`,
    });
    // A payload that is not a JSON object is the application's: left as it was.
    expect(text(received[1]?.payload ?? new Uint8Array())).toBe('not json');
    const [jsonProcess, textProcess] = sdk.byName('process');
    expect(jsonProcess?.kind).toBe(SpanKind.CONSUMER);
    expect(jsonProcess?.parentSpanContext?.spanId).toBe(jsonSend?.spanContext().spanId);
    expect(jsonProcess?.spanContext().traceId).toBe(jsonSend?.spanContext().traceId);
    // Nothing carried: a trace of its own, no link.
    expect(textProcess?.spanContext().traceId).not.toBe(textSend?.spanContext().traceId);
    expect(textProcess?.links).toEqual([]);
    expect(jsonSend?.attributes['messaging.mqtt.protocol_version']).toBe(4);
  });

  it('without the opt-in, 3.1.1 payloads are never touched', async () => {
    broker = await startAedes();
    const sdk = tracingSdk();
    const subscriber = await client(broker.url, sdk, false);
    await subscriber.subscribe('plain/#');
    const arrived = new Promise<Message>((resolve) => subscriber.once('message', resolve));
    const publisher = await client(broker.url, sdk, false);
    await publisher.publish('plain/x', '{"v":1}');
    expect(text((await arrived).payload)).toBe('{"v":1}');
  });

  it('a publish lost with its link ends its span with an error and the close reason', async () => {
    // The broker takes the PUBLISH and never answers it (no PUBACK), then goes away.
    let held = false;
    broker = await startAedes({
      broker: {
        authorizePublish: (_client, packet, _callback) => {
          if (packet.topic === 'held/x') held = true;
        },
      },
    });
    const sdk = tracingSdk();
    const publisher = await client(broker.url, sdk, false);
    const pending = publisher.publish('held/x', 'x', { qos: 1 });
    pending.catch(() => {});
    await until(() => held, 3000, 'the broker holding the PUBLISH');
    await broker.close();
    broker = undefined;
    await expect(pending).rejects.toMatchObject({
      code: 'MQTTKIT_ERR_CONNECTION_CLOSED',
      inflight: true,
    });
    await until(() => sdk.byName('send').length === 1, 3000, 'the send span');
    const [send] = sdk.byName('send');
    expect(send?.status.code).toBe(SpanStatusCode.ERROR);
    expect(send?.attributes).toMatchObject({
      'error.type': 'MQTTKIT_ERR_CONNECTION_CLOSED',
      'messaging.mqtt.close_reason': expect.stringMatching(/^transport-/),
      'messaging.mqtt.inflight': true,
    });
  });
});
