// Spans and trace context through a real MQTT 5 broker (mosquitto), one process: `send` PRODUCER
// spans ended by the flow's outcome, `process` CONSUMER spans parented to (and linked with) the
// producer's context carried in `traceparent`/`tracestate` user properties, request/response
// as one trace, a PUBACK 0x87 refusal from mosquitto's dynamic security.
import { createClient, type Message, type MqttClient } from '@mqttkit/client';
import {
  hasMosquitto,
  hasMosquittoDynsec,
  type MosquittoHandle,
  startMosquitto,
  startMosquittoWithAcl,
  until,
} from '@mqttkit/testkit';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AlwaysOffSampler, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  destinationFromFilters,
  instrumentClient,
  type MqttInstrumentationOptions,
  messageContext,
} from '../src/index.js';
import { type TestSdk, tracingSdk } from './sdk.js';

const PASSWORD = 'hunter2-secret';
const clients: MqttClient[] = [];
const disposers: Array<() => void> = [];
afterEach(async () => {
  for (const dispose of disposers.splice(0)) dispose();
  await Promise.all(clients.splice(0).map((c) => c.end({ force: true })));
});

/** A connected client instrumented with `sdk`. */
async function client(
  url: string,
  sdk: TestSdk,
  clientId: string,
  options: MqttInstrumentationOptions = {},
  credentials: { username: string; password: string } = { username: 'svc', password: PASSWORD },
): Promise<MqttClient> {
  const c = createClient({ url, protocolVersion: 5, clientId, reconnect: false, ...credentials });
  clients.push(c);
  disposers.push(
    instrumentClient(c, {
      tracerProvider: sdk.tracerProvider,
      propagator: sdk.propagator,
      clientId,
      server: url.replace('mqtt://', `mqtt://svc:${PASSWORD}@`),
      ...options,
    }),
  );
  await c.connect();
  return c;
}

const one = (spans: ReadableSpan[], what: string): ReadableSpan => {
  expect(spans, what).toHaveLength(1);
  return spans[0] as ReadableSpan;
};
const parentOf = (span: ReadableSpan): string | undefined => span.parentSpanContext?.spanId;

/** Nothing of the payload or the credentials in any attribute of any span. */
function expectNoSecrets(spans: ReadableSpan[], payload: string): void {
  for (const span of spans) {
    for (const value of Object.values(span.attributes)) {
      expect(String(value)).not.toContain(PASSWORD);
      expect(String(value)).not.toContain(payload);
    }
  }
}

describe.skipIf(!hasMosquitto)('traces through mosquitto (MQTT 5)', () => {
  let broker: MosquittoHandle;
  beforeAll(async () => {
    broker = await startMosquitto();
  }, 10_000);
  afterAll(async () => {
    await broker?.close();
  });

  it('a send span per publish, a process span parented to it, context in user properties', async () => {
    const sdk = tracingSdk();
    const subscriber = await client(broker.url, sdk, 'sub-1');
    await subscriber.subscribe('sensors/+/temp', { qos: 1 });
    const publisher = await client(broker.url, sdk, 'pub-1');
    const received: Message[] = [];
    subscriber.on('message', (m) => {
      received.push(m);
    });
    const properties = { userProperties: { site: 'north' } };
    const result = await publisher.publish('sensors/7/temp', 'payload-21.5', {
      qos: 1,
      properties,
    });
    await until(() => sdk.byName('process').length === 1, 3000, 'the process span');

    const send = one(sdk.byName('send'), 'send spans');
    const process = one(sdk.byName('process'), 'process spans');
    expect(send.kind).toBe(SpanKind.PRODUCER);
    expect(process.kind).toBe(SpanKind.CONSUMER);
    expect(process.spanContext().traceId).toBe(send.spanContext().traceId);
    expect(parentOf(process)).toBe(send.spanContext().spanId);
    expect(process.links.map((l) => l.context.spanId)).toEqual([send.spanContext().spanId]);
    expect(send.status.code).toBe(SpanStatusCode.UNSET);
    expect(send.attributes).toMatchObject({
      'messaging.system': 'mqtt',
      'messaging.operation.name': 'send',
      'messaging.operation.type': 'send',
      'messaging.destination.name': 'sensors/7/temp',
      'messaging.client.id': 'pub-1',
      'messaging.message.body.size': 12,
      'messaging.mqtt.qos': 1,
      'messaging.mqtt.retain': false,
      'messaging.mqtt.protocol_version': 5,
      'messaging.mqtt.reason_code': 0,
      'messaging.mqtt.packet_id': result.packetId,
      'server.address': '127.0.0.1',
      'server.port': broker.port,
    });
    expect(process.attributes).toMatchObject({
      'messaging.system': 'mqtt',
      'messaging.operation.name': 'process',
      'messaging.destination.name': 'sensors/7/temp',
      'messaging.client.id': 'sub-1',
      'messaging.mqtt.qos': 1,
      'messaging.mqtt.dup': false,
    });
    // W3C trace context in user properties (lower-case names); the caller's object untouched.
    const userProperties = received[0]?.properties?.userProperties ?? {};
    expect(userProperties.site).toBe('north');
    expect(userProperties.traceparent).toBe(
      `00-${send.spanContext().traceId}-${send.spanContext().spanId}-01`,
    );
    expect(properties).toEqual({ userProperties: { site: 'north' } });
    expectNoSecrets(sdk.finished(), 'payload-21.5');
  });

  it('span names use the matched filter, never the topic; $share gives the consumer group', async () => {
    const sdk = tracingSdk();
    const names = { destination: destinationFromFilters(['$share/workers/jobs/+']) };
    const worker = await client(broker.url, sdk, 'worker-1', names);
    await worker.subscribe('$share/workers/jobs/+', { qos: 1 });
    worker.on('message', () => {});
    const publisher = await client(broker.url, sdk, 'pub-2', names);
    await publisher.publish('jobs/123', 'j', { qos: 1 });
    await publisher.publish('other/123', 'o', { qos: 0 });
    await until(() => sdk.byName('process jobs/+').length === 1, 3000, 'the process span');
    const send = one(sdk.byName('send jobs/+'), 'named send');
    expect(send.attributes['messaging.destination.template']).toBe('jobs/+');
    expect(one(sdk.byName('send'), 'unnamed send').attributes['messaging.destination.name']).toBe(
      'other/123',
    );
    expect(one(sdk.byName('process jobs/+'), 'process').attributes).toMatchObject({
      'messaging.destination.template': 'jobs/+',
      'messaging.consumer.group.name': 'workers',
    });
  });

  it('async listeners are awaited; what they publish joins the trace (request/respond)', async () => {
    const sdk = tracingSdk();
    const responder = await client(broker.url, sdk, 'responder');
    await responder.subscribe('rpc/add', { qos: 1 });
    responder.on('message', async (request) => {
      if (request.topic !== 'rpc/add') return;
      await new Promise((resolve) => setTimeout(resolve, 30));
      await responder.respond(request, 'sum', { qos: 1 });
    });
    const requester = await client(broker.url, sdk, 'requester');
    const root = sdk.tracerProvider.getTracer('test').startSpan('caller');
    const reply = await context.with(trace.setSpan(context.active(), root), () =>
      requester.request('rpc/add', 'args'),
    );
    root.end();
    expect(reply.topic).toMatch(/^mqttkit\//);
    await until(() => sdk.byName('process').length === 2, 3000, 'both process spans');
    const spans = sdk.finished();
    const traceIds = new Set(spans.map((s) => s.spanContext().traceId));
    expect(traceIds).toEqual(new Set([root.spanContext().traceId]));
    const sends = sdk.byName('send');
    const [requestSend, replySend] = [
      sends.find((s) => s.attributes['messaging.destination.name'] === 'rpc/add'),
      sends.find((s) => s.attributes['messaging.destination.name'] !== 'rpc/add'),
    ];
    const requestProcess = sdk
      .byName('process')
      .find((s) => s.attributes['messaging.destination.name'] === 'rpc/add');
    const replyProcess = sdk
      .byName('process')
      .find((s) => s.attributes['messaging.destination.name'] !== 'rpc/add');
    // caller -> send rpc/add -> process rpc/add -> send reply -> process reply
    expect(parentOf(requestSend as ReadableSpan)).toBe(root.spanContext().spanId);
    expect(parentOf(requestProcess as ReadableSpan)).toBe(requestSend?.spanContext().spanId);
    expect(parentOf(replySend as ReadableSpan)).toBe(requestProcess?.spanContext().spanId);
    expect(parentOf(replyProcess as ReadableSpan)).toBe(replySend?.spanContext().spanId);
    // The responder's process span lasted until its async listener was done.
    const lasted =
      (requestProcess?.duration[0] ?? 0) * 1000 + (requestProcess?.duration[1] ?? 0) / 1e6;
    expect(lasted).toBeGreaterThanOrEqual(25);
  });

  it('a messages() loop: the span lasts until the loop moves on; messageContext gives it', async () => {
    const sdk = tracingSdk();
    const subscriber = await client(broker.url, sdk, 'loop-sub');
    await subscriber.subscribe('loop/#', { qos: 1 });
    const publisher = await client(broker.url, sdk, 'loop-pub');
    const loop = subscriber.messages('loop/#');
    await publisher.publish('loop/a', '1', { qos: 1 });
    const first = await loop.next();
    const message = first.value as Message;
    const active = messageContext(message);
    expect(trace.getSpanContext(active ?? context.active())?.traceId).toBe(
      one(sdk.byName('send'), 'send').spanContext().traceId,
    );
    expect(sdk.byName('process')).toHaveLength(0); // still processing
    await loop.return?.();
    await until(() => sdk.byName('process').length === 1, 3000, 'the process span');
  });

  it('a sampler that records nothing: no spans, the context still travels (not sampled)', async () => {
    const sdk = tracingSdk(new AlwaysOffSampler());
    const subscriber = await client(broker.url, sdk, 'off-sub');
    await subscriber.subscribe('off/x', { qos: 1 });
    const publisher = await client(broker.url, sdk, 'off-pub');
    const arrived = new Promise<Message>((resolve) => subscriber.once('message', resolve));
    await publisher.publish('off/x', 'x', { qos: 1 });
    const message = await arrived;
    expect(message.properties?.userProperties?.traceparent).toMatch(
      /^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/,
    );
    expect(sdk.finished()).toEqual([]);
  });
});

describe.skipIf(!hasMosquittoDynsec)('a refused publish (mosquitto dynamic security)', () => {
  let broker: MosquittoHandle;
  beforeAll(async () => {
    broker = await startMosquittoWithAcl({
      users: [{ username: 'alice', password: PASSWORD, allow: { publish: ['ok/#'] } }],
    });
  }, 10_000);
  afterAll(async () => {
    await broker?.close();
  });

  it('PUBACK 0x87 ends the send span with an error status and the reason code', async () => {
    const sdk = tracingSdk();
    const alice = await client(
      broker.url,
      sdk,
      'alice-1',
      {},
      { username: 'alice', password: PASSWORD },
    );
    await expect(alice.publish('denied/x', 'secret-payload', { qos: 1 })).rejects.toMatchObject({
      code: 'MQTTKIT_ERR_PUBLISH_REFUSED',
      reasonCode: 0x87,
    });
    await alice.publish('ok/x', 'fine', { qos: 1 });
    const [refused, accepted] = sdk.byName('send');
    expect(refused?.status.code).toBe(SpanStatusCode.ERROR);
    expect(refused?.attributes).toMatchObject({
      'messaging.mqtt.reason_code': 0x87,
      'error.type': 'MQTTKIT_ERR_PUBLISH_REFUSED',
      'messaging.destination.name': 'denied/x',
    });
    expect(refused?.attributes['messaging.mqtt.packet_id']).toBeTypeOf('number');
    expect(accepted?.status.code).toBe(SpanStatusCode.UNSET);
    // 0x10 "No matching subscribers": a success code, recorded as the broker sent it.
    expect(accepted?.attributes['messaging.mqtt.reason_code']).toBe(0x10);
    expectNoSecrets(sdk.finished(), 'secret-payload');
  });
});
