import { type AedesHandle, startAedes } from '@mqttkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type MqttClient } from '../src/index.js';
import { text, until } from './helpers.js';

let broker: AedesHandle;
const clients: MqttClient[] = [];
beforeAll(async () => {
  broker = await startAedes();
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.end({ force: true })));
  await broker.close();
});

function make(extra: Parameters<typeof createClient>[0] = {}): MqttClient {
  const c = createClient({ url: broker.url, protocolVersion: 4, reconnect: false, ...extra });
  clients.push(c);
  return c;
}

describe('client.messages()', () => {
  it('yields the messages matching its filter and ends on end()', async () => {
    const c = make();
    await c.connect();
    await c.subscribe(['sensors/#', 'other/#'], { qos: 1 });
    const seen: string[] = [];
    const loop = (async () => {
      for await (const m of c.messages('sensors/+/temp'))
        seen.push(`${m.topic}=${text(m.payload)}`);
    })();
    await c.publish('sensors/a/temp', '20', { qos: 1 });
    await c.publish('other/x', 'no', { qos: 1 });
    await c.publish('sensors/b/temp', '21', { qos: 1 });
    await until(() => seen.length === 2, 2000, 'messages');
    await c.end();
    await loop;
    expect(seen).toEqual(['sensors/a/temp=20', 'sensors/b/temp=21']);
  });

  it('the buffer is bounded: a slow consumer loses the oldest, and the link keeps working', async () => {
    const c = make({ messageBufferSize: 3 });
    await c.connect();
    await c.subscribe('burst/#', { qos: 1 });
    const iterator = c.messages();
    let delivered = 0;
    c.on('message', () => delivered++);
    for (let i = 0; i < 10; i++) await c.publish('burst/t', String(i), { qos: 1 });
    await until(() => delivered === 10, 2000, 'deliveries');
    const got: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await iterator.next();
      if (!r.done) got.push(text(r.value.payload));
    }
    expect(got).toEqual(['7', '8', '9']);
    await iterator.return?.();
    expect(c.state).toBe('connected');
  });

  it('return() stops the iterator early', async () => {
    const c = make();
    await c.connect();
    const it = c.messages();
    const pending = it.next();
    await it.return?.();
    expect(await pending).toEqual({ done: true, value: undefined });
  });
});
