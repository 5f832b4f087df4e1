// The instrumentation hook against real brokers: a publish may be changed before it is checked
// (user properties under MQTT 5, the payload under 3.1.1) and its end is reported once; a
// delivery is wrapped around the `message` listeners and settles only once their promises (a
// `messages()` loop's included) have.
import { hasMosquitto, type MosquittoHandle, startAedes, startMosquitto } from '@mqttkit/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type ClientInstrumentation,
  createClient,
  type Message,
  type MqttClient,
  type PublishOutcome,
} from '../src/index.js';
import { next, sleep, text, until } from './helpers.js';

const clients: MqttClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.end({ force: true })));
});

async function connected(url: string, protocolVersion: 4 | 5): Promise<MqttClient> {
  const client = createClient({ url, protocolVersion, reconnect: false });
  clients.push(client);
  await client.connect();
  return client;
}

describe.skipIf(!hasMosquitto)('instrumentation over mosquitto (MQTT 5)', () => {
  let broker: MosquittoHandle;
  beforeAll(async () => {
    broker = await startMosquitto();
  }, 10_000);
  afterAll(async () => {
    await broker?.close();
  });

  it('adds user properties before the publish is checked and reports its end once', async () => {
    const subscriber = await connected(broker.url, 5);
    await subscriber.subscribe('hook/props', { qos: 1 });
    const publisher = await connected(broker.url, 5);
    const outcomes: PublishOutcome[] = [];
    const seen: Array<{ topic: string; protocolVersion: number }> = [];
    publisher.instrument({
      publish(outgoing) {
        seen.push({ topic: outgoing.topic, protocolVersion: outgoing.protocolVersion });
        const properties = outgoing.options.properties ?? {};
        outgoing.options = {
          ...outgoing.options,
          properties: { ...properties, userProperties: { traceparent: 'tp-value' } },
        };
        return { settled: (outcome) => outcomes.push(outcome) };
      },
    });
    const arrived = next(subscriber, 'message');
    const result = await publisher.publish('hook/props', 'x', { qos: 1 });
    const message = await arrived;
    expect(message.properties?.userProperties).toEqual({ traceparent: 'tp-value' });
    expect(seen).toEqual([{ topic: 'hook/props', protocolVersion: 5 }]);
    await until(() => outcomes.length === 1, 2000, 'the outcome');
    expect(outcomes).toEqual([{ type: 'completed', result }]);
    expect(result.packetId).toBeTypeOf('number');
  });

  it('reports a failed publish with the error its promise rejected with', async () => {
    const publisher = await connected(broker.url, 5);
    const outcomes: PublishOutcome[] = [];
    publisher.instrument({ publish: () => ({ settled: (o) => outcomes.push(o) }) });
    // A wildcard in a PUBLISH topic is refused by the client's checks [MQTT-3.3.2-2].
    await expect(publisher.publish('bad/#', 'x')).rejects.toThrow();
    await until(() => outcomes.length === 1, 2000, 'the outcome');
    expect(outcomes[0]?.type).toBe('failed');
  });

  it('the disposer removes the hook; a second one is refused while one is installed', async () => {
    const publisher = await connected(broker.url, 5);
    let calls = 0;
    const hook: ClientInstrumentation = {
      publish: () => {
        calls++;
        return undefined;
      },
    };
    const dispose = publisher.instrument(hook);
    expect(() => publisher.instrument({})).toThrow(/already instrumented/);
    await publisher.publish('hook/dispose', 'a');
    dispose();
    await publisher.publish('hook/dispose', 'b');
    expect(calls).toBe(1);
    publisher.instrument({}); // free again
  });
});

describe('instrumentation over aedes (MQTT 3.1.1)', () => {
  it('may rewrite the payload (the 3.1.1 JSON carrier)', async () => {
    const broker = await startAedes();
    try {
      const subscriber = await connected(broker.url, 4);
      await subscriber.subscribe('hook/json');
      const publisher = await connected(broker.url, 4);
      publisher.instrument({
        publish(outgoing) {
          const body = JSON.parse(String(outgoing.payload)) as object;
          outgoing.payload = JSON.stringify({ ...body, traceparent: 'tp' });
          return undefined;
        },
      });
      const arrived = next(subscriber, 'message');
      await publisher.publish('hook/json', JSON.stringify({ v: 1 }));
      expect(JSON.parse(text((await arrived).payload))).toEqual({ v: 1, traceparent: 'tp' });
    } finally {
      await Promise.all(clients.splice(0).map((c) => c.end({ force: true })));
      await broker.close();
    }
  });

  it('wraps delivery: listeners run inside, settled after their promises, errors collected', async () => {
    const broker = await startAedes();
    try {
      const client = await connected(broker.url, 4);
      await client.subscribe('hook/in');
      const log: string[] = [];
      let settledErrors: readonly unknown[] | undefined;
      let inside = false;
      client.instrument({
        deliver(message: Message) {
          log.push(`deliver ${message.topic}`);
          return {
            run(deliver) {
              inside = true;
              try {
                return deliver();
              } finally {
                inside = false;
              }
            },
            settled(errors) {
              log.push('settled');
              settledErrors = errors;
            },
          };
        },
      });
      client.on('error', () => {}); // listener failures are reported on `error`
      let release: () => void = () => {};
      client.on('message', () => {
        log.push(`sync listener inside=${inside}`);
        throw new Error('sync boom');
      });
      client.on('message', async () => {
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        log.push('async listener done');
        throw new Error('async boom');
      });
      await client.publish('hook/in', 'x');
      await until(() => log.includes('sync listener inside=true'), 2000, 'the delivery');
      await sleep(20);
      expect(log).not.toContain('settled');
      release();
      await until(() => log.includes('settled'), 2000, 'settled');
      expect(log).toEqual([
        'deliver hook/in',
        'sync listener inside=true',
        'async listener done',
        'settled',
      ]);
      expect((settledErrors ?? []).map((e) => (e as Error).message)).toEqual([
        'sync boom',
        'async boom',
      ]);
    } finally {
      await Promise.all(clients.splice(0).map((c) => c.end({ force: true })));
      await broker.close();
    }
  });

  it('a messages() loop settles a delivery when it moves past the message', async () => {
    const broker = await startAedes();
    try {
      const client = await connected(broker.url, 4);
      await client.subscribe('hook/loop');
      const settled: string[] = [];
      client.instrument({
        deliver: (message) => ({
          run: (deliver) => deliver(),
          settled: () => settled.push(text(message.payload)),
        }),
      });
      const loop = client.messages('hook/loop');
      await client.publish('hook/loop', 'one');
      await client.publish('hook/loop', 'two');
      const first = await loop.next();
      expect(text((first.value as Message).payload)).toBe('one');
      await sleep(20);
      expect(settled).toEqual([]);
      await loop.next(); // moves past 'one'
      await until(() => settled.length === 1, 2000, 'first settled');
      expect(settled).toEqual(['one']);
      await loop.return?.();
      await until(() => settled.length === 2, 2000, 'second settled');
    } finally {
      await Promise.all(clients.splice(0).map((c) => c.end({ force: true })));
      await broker.close();
    }
  });
});
