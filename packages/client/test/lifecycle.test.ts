import { type AedesHandle, startAedes, startFaultProxy } from '@mqttkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, createClient, type MqttClient } from '../src/index.js';
import { next, recordReasons, text } from './helpers.js';

let broker: AedesHandle;
const clients: MqttClient[] = [];

beforeAll(async () => {
  broker = await startAedes();
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.end({ force: true })));
  await broker.close();
});

function client(extra: Parameters<typeof createClient>[0] = {}): MqttClient {
  const c = createClient({ url: broker.url, protocolVersion: 4, reconnect: false, ...extra });
  clients.push(c);
  return c;
}

/** Publishes to itself at QoS 1 and returns the received payload. */
async function roundTrip(c: MqttClient, topic: string, payload: string): Promise<string> {
  const received = next(c, 'message');
  await c.publish(topic, payload, { qos: 1 });
  return text((await received).payload);
}

describe('connect -> end -> connect -> publish (MQTT.js #1897)', () => {
  it('works after a graceful end', async () => {
    const c = client();
    const first = await c.connect();
    expect(first.sessionPresent).toBe(false);
    expect(c.state).toBe('connected');
    await c.subscribe('life/graceful', { qos: 1 });
    const reasons = recordReasons(c);
    await c.end();
    expect(c.state).toBe('closed');
    expect(reasons.map((r) => `${r.event}:${r.reason.type}`)).toEqual([
      'offline:local-end',
      'close:local-end',
      'end:local-end',
    ]);
    await c.connect();
    await c.subscribe('life/graceful', { qos: 1 });
    expect(await roundTrip(c, 'life/graceful', 'again')).toBe('again');
  });

  it('works after a forced end', async () => {
    const c = client();
    await c.connect();
    await c.end({ force: true });
    expect(c.stateDetail).toMatchObject({
      type: 'closed',
      reason: { type: 'local-end', force: true },
    });
    await c.connect();
    await c.subscribe('life/forced', { qos: 1 });
    expect(await roundTrip(c, 'life/forced', 'x')).toBe('x');
  });

  it('works after end() called while still connecting, and after end() twice', async () => {
    const c = client();
    const connecting = c.connect();
    const ended = c.end();
    await expect(connecting).rejects.toMatchObject({
      code: 'MQTTKIT_ERR_CONNECT_FAILED',
      reason: { type: 'local-end' },
    });
    await ended;
    await c.end();
    await c.connect();
    await c.subscribe('life/early', { qos: 1 });
    expect(await roundTrip(c, 'life/early', 'y')).toBe('y');
  });

  it('works when connect() is called before end() has finished', async () => {
    const c = client();
    await c.connect();
    const ended = c.end();
    const again = c.connect();
    await ended;
    await again;
    expect(c.state).toBe('connected');
    await c.subscribe('life/overlap', { qos: 1 });
    expect(await roundTrip(c, 'life/overlap', 'z')).toBe('z');
  });

  it('works after the broker closes the socket (stream end), with a typed reason', async () => {
    const c = client({ clientId: 'kick-me' });
    await c.connect();
    const closed = next(c, 'close');
    // The broker side closes our socket without a DISCONNECT (3.1.1 has none from a broker).
    const clientsById = (broker.broker as unknown as { clients: Record<string, { close(): void }> })
      .clients;
    expect(clientsById['kick-me']).toBeDefined();
    clientsById['kick-me']?.close();
    const reason = await closed;
    expect(reason).toMatchObject({
      type: 'transport-closed',
      initiator: 'network',
      willReconnect: false,
    });
    expect(c.state).toBe('closed');
    await c.connect();
    await c.subscribe('life/kicked', { qos: 1 });
    expect(await roundTrip(c, 'life/kicked', 'k')).toBe('k');
  });

  it('works after a network cut (transport error), with a typed reason', async () => {
    const proxy = await startFaultProxy({ target: { host: '127.0.0.1', port: broker.port } });
    try {
      const c = client({ url: proxy.url });
      await c.connect();
      const closed = next(c, 'close');
      proxy.setMode('cut');
      const reason = await closed;
      expect(reason.type).toBe('transport-error');
      expect(reason.initiator).toBe('network');
      proxy.setMode('pass');
      await c.connect();
      await c.subscribe('life/cut', { qos: 1 });
      expect(await roundTrip(c, 'life/cut', 'c')).toBe('c');
      await c.end();
    } finally {
      await proxy.close();
    }
  });

  it('rejects connect() with a typed ConnectError when the broker is unreachable', async () => {
    const c = client({ url: 'mqtt://127.0.0.1:1' });
    const error = await c.connect().catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'MQTTKIT_ERR_CONNECT_FAILED',
      reason: { type: 'transport-error', willReconnect: false },
    });
    expect(c.state).toBe('closed');
  });

  it('aborting connect() ends in closed with reason aborted, and connect() works after', async () => {
    const c = client();
    const controller = new AbortController();
    const pending = c.connect({ signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ reason: { type: 'aborted' } });
    expect(c.state).toBe('closed');
    await c.connect();
    await c.subscribe('life/abort', { qos: 1 });
    expect(await roundTrip(c, 'life/abort', 'a')).toBe('a');
  });

  it('operations before connect() reject with NotConnectedError', async () => {
    const c = client();
    await expect(c.publish('a', 'b')).rejects.toMatchObject({
      code: 'MQTTKIT_ERR_NOT_CONNECTED',
      why: 'idle',
    });
  });

  it('reconnect() while connected opens a new link and keeps working', async () => {
    const c = client();
    await c.connect();
    await c.subscribe('life/reconnect', { qos: 1 });
    const states: string[] = [];
    c.on('state', (s) => states.push(s.to));
    c.reconnect();
    const back = await next(c, 'connect');
    expect(back.attempt).toBe(0);
    expect(states).toEqual(['disconnecting', 'connecting', 'awaitingConnack', 'connected']);
    // Clean session: the client subscribed again by itself.
    expect(await roundTrip(c, 'life/reconnect', 'r')).toBe('r');
  });

  it('works over WebSocket (aedes ws listener)', async () => {
    const wsBroker = await startAedes({ ws: true });
    try {
      const c = client({ url: wsBroker.wsUrl as string });
      await c.connect();
      await c.subscribe('life/ws', { qos: 1 });
      const received = next(c, 'message');
      await c.publish('life/ws', 'over ws', { qos: 1 });
      expect(text((await received).payload)).toBe('over ws');
      await c.end();
      expect(c.state).toBe('closed');
    } finally {
      await wsBroker.close();
    }
  });

  it('end({ signal }): aborting escalates a hanging graceful end to a forced one', async () => {
    const proxy = await startFaultProxy({ target: { host: '127.0.0.1', port: broker.port } });
    try {
      const c = client({ url: proxy.url });
      await c.connect();
      proxy.setMode('blackhole'); // the peer never acknowledges our close
      const started = performance.now();
      await c.end({ signal: AbortSignal.timeout(100) });
      expect(performance.now() - started).toBeLessThan(2000);
      expect(c.stateDetail).toMatchObject({ type: 'closed', reason: { type: 'local-end' } });
    } finally {
      await proxy.close();
    }
  });

  it('connect(url, options) creates and connects in one call', async () => {
    const c = await connect(broker.url, { protocolVersion: 4, reconnect: false });
    clients.push(c);
    expect(c.state).toBe('connected');
    await expect(
      connect('mqtt://127.0.0.1:1', { protocolVersion: 4, reconnect: false }),
    ).rejects.toMatchObject({
      code: 'MQTTKIT_ERR_CONNECT_FAILED',
    });
  });
});
