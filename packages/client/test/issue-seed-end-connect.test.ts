// Regression for the seed of mqttkit (MQTT.js #1897): after end(), a stale
// "disconnecting" flag made connect() + publish() fail with "client disconnecting".
import { type AedesHandle, startAedes } from '@mqttkit/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createClient } from '../src/index.js';

let broker: AedesHandle;
beforeAll(async () => {
  broker = await startAedes();
});
afterAll(async () => {
  await broker.close();
});

it('connect -> end -> connect -> publish succeeds, and the state passes through disconnecting and out again', async () => {
  const c = createClient({ url: broker.url, protocolVersion: 4 });
  const states: string[] = [];
  c.on('state', (s) => states.push(s.to));
  await c.connect();
  const ending = c.end();
  expect(c.state).toBe('disconnecting');
  await ending;
  expect(c.state).toBe('closed');
  await c.connect();
  expect(c.state).toBe('connected');
  await expect(c.publish('seed/t', 'after end', { qos: 1 })).resolves.toMatchObject({
    reasonCode: 0,
  });
  await c.end();
  expect(states).toEqual([
    'connecting',
    'awaitingConnack',
    'connected',
    'disconnecting',
    'closed',
    'connecting',
    'awaitingConnack',
    'connected',
    'disconnecting',
    'closed',
  ]);
});
