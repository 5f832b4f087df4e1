// Random sequences of user calls and network faults against a real broker: whatever happens,
// every operation settles, the client ends in `closed`, and connect -> publish works afterwards.
import { type AedesHandle, type FaultProxy, startAedes, startFaultProxy } from '@mqttkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type MqttClient } from '../src/index.js';
import { next, sleep, text } from './helpers.js';

let broker: AedesHandle;
let proxy: FaultProxy;
beforeAll(async () => {
  broker = await startAedes();
  proxy = await startFaultProxy({ target: { host: '127.0.0.1', port: broker.port } });
});
afterAll(async () => {
  await proxy.close();
  await broker.close();
});

/** A small seeded PRNG (mulberry32), so a failing sequence can be replayed from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STEPS = [
  'connect',
  'end',
  'endForce',
  'reconnect',
  'publish',
  'subscribe',
  'cut',
  'wait',
] as const;

async function run(seed: number): Promise<string[]> {
  const random = prng(seed);
  const c: MqttClient = createClient({
    url: proxy.url,
    protocolVersion: 4,
    clientId: `model-${seed}`,
    reconnect: { initialDelay: 5, maxDelay: 20 },
    connectTimeout: 1000,
    random,
  });
  const pending: Array<Promise<unknown>> = [];
  const trace: string[] = [];
  const track = (p: Promise<unknown>): void => {
    pending.push(
      p.then(
        () => 'ok',
        (e: { code?: string }) => e.code ?? 'untyped',
      ),
    );
  };
  for (let i = 0; i < 15; i++) {
    const step = STEPS[Math.floor(random() * STEPS.length)] as (typeof STEPS)[number];
    trace.push(`${step}@${c.state}`);
    switch (step) {
      case 'connect':
        track(c.connect());
        break;
      case 'end':
        track(c.end());
        break;
      case 'endForce':
        track(c.end({ force: true }));
        break;
      case 'reconnect':
        c.reconnect();
        break;
      case 'publish':
        track(c.publish('model/t', String(i), { qos: (i % 3) as 0 | 1 | 2 }));
        break;
      case 'subscribe':
        track(c.subscribe('model/#', { qos: 1 }));
        break;
      case 'cut':
        proxy.setMode('cut');
        await sleep(5);
        proxy.setMode('pass');
        break;
      case 'wait':
        await sleep(Math.floor(random() * 30));
        break;
    }
    await sleep(Math.floor(random() * 5));
  }
  proxy.setMode('pass');
  await c.end();
  expect(c.state).toBe('closed');
  // Every operation settled, with a result or a typed error.
  const outcomes = await Promise.race([Promise.all(pending), sleep(3000).then(() => ['timeout'])]);
  expect(outcomes).not.toContain('timeout');
  expect(outcomes).not.toContain('untyped');
  // And the client is as good as new.
  await c.connect();
  await c.subscribe('model/after', { qos: 1 });
  const got = next(c, 'message');
  await c.publish('model/after', `seed ${seed}`, { qos: 1 });
  expect(text((await got).payload)).toBe(`seed ${seed}`);
  await c.end();
  return trace;
}

describe('random user calls and faults (seeded)', () => {
  for (const seed of Array.from({ length: 16 }, (_, i) => i + 1)) {
    it(`seed ${seed}: everything settles and the client recovers`, async () => {
      await run(seed);
    });
  }
});
