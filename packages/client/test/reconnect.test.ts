import type { Packet } from '@mqttkit/codec';
import { createFakeScheduler } from '@mqttkit/keepalive';
import type { CloseReason } from '@mqttkit/state';
import {
  type AedesHandle,
  hasMosquitto,
  type MosquittoHandle,
  startAedes,
  startFaultProxy,
  startMosquitto,
} from '@mqttkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type Message, type MqttClient } from '../src/index.js';
import { next, text, until } from './helpers.js';

let aedes: AedesHandle;
let mosquitto: MosquittoHandle | undefined;
const clients: MqttClient[] = [];
const DEAD = 'mqtt://127.0.0.1:1';

beforeAll(async () => {
  aedes = await startAedes();
  if (hasMosquitto) mosquitto = await startMosquitto();
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.end({ force: true })));
  await aedes.close();
  await mosquitto?.close();
});

function track<T extends MqttClient>(c: T): T {
  clients.push(c);
  return c;
}

describe('backoff and failover (fake scheduler)', () => {
  it('waits the backoff delay for each attempt, cycles through servers, and reports each close', async () => {
    const scheduler = createFakeScheduler();
    const c = track(
      createClient({
        servers: [DEAD, DEAD, aedes.url],
        protocolVersion: 4,
        scheduler,
        reconnect: { initialDelay: 100, maxDelay: 1000, multiplier: 2, jitter: 'none' },
      }),
    );
    const closes: CloseReason[] = [];
    c.on('close', (r) => closes.push(r));
    const connected = c.connect();
    await until(() => c.state === 'reconnectWait', 2000, 'first failure');
    expect(closes).toHaveLength(1);
    expect(closes[0]).toMatchObject({ type: 'transport-error', willReconnect: true });
    scheduler.advance(99);
    expect(c.state).toBe('reconnectWait');
    scheduler.advance(1); // attempt 1 after 100 ms, to server 1
    expect(c.state).toBe('connecting');
    await until(() => c.state === 'reconnectWait', 2000, 'second failure');
    scheduler.advance(199);
    expect(c.state).toBe('reconnectWait');
    scheduler.advance(1); // attempt 2 after 200 ms, to server 2 (aedes)
    const result = await connected;
    expect(result).toMatchObject({ serverIndex: 2, attempt: 2, sessionPresent: false });
    expect(c.stats().reconnects).toBe(1);
  });

  it('full jitter draws the delay from the injected random source', async () => {
    const scheduler = createFakeScheduler();
    const c = track(
      createClient({
        servers: [DEAD, aedes.url],
        protocolVersion: 4,
        scheduler,
        random: () => 0.5,
        reconnect: { initialDelay: 1000, maxDelay: 1000, jitter: 'full' },
      }),
    );
    const connected = c.connect();
    await until(() => c.state === 'reconnectWait', 2000, 'failure');
    scheduler.advance(499);
    expect(c.state).toBe('reconnectWait');
    scheduler.advance(1);
    expect(c.state).toBe('connecting');
    await connected;
  });

  it('gives up after maxAttempts with the last cause and willReconnect false', async () => {
    const scheduler = createFakeScheduler();
    const c = track(
      createClient({
        url: DEAD,
        protocolVersion: 4,
        scheduler,
        reconnect: { initialDelay: 10, maxDelay: 10, jitter: 'none', maxAttempts: 2 },
      }),
    );
    const closes: CloseReason[] = [];
    c.on('close', (r) => closes.push(r));
    const connected = c.connect().catch((e: unknown) => e);
    for (let i = 0; i < 2; i++) {
      await until(() => c.state === 'reconnectWait', 2000, `failure ${i}`);
      scheduler.advance(10);
    }
    const error = await connected;
    expect(error).toMatchObject({
      code: 'MQTTKIT_ERR_CONNECT_FAILED',
      reason: { type: 'transport-error', willReconnect: false },
    });
    expect(closes.map((r) => r.willReconnect)).toEqual([true, true, false]);
    expect(c.state).toBe('closed');
  });

  it('end() during the backoff wait stops reconnecting', async () => {
    const scheduler = createFakeScheduler();
    const c = track(createClient({ url: DEAD, protocolVersion: 4, scheduler }));
    const connected = c.connect().catch((e: unknown) => e);
    await until(() => c.state === 'reconnectWait', 2000, 'failure');
    await c.end();
    expect(c.state).toBe('closed');
    expect(await connected).toMatchObject({ reason: { type: 'local-end' } });
    expect(scheduler.pending()).toBe(0);
    scheduler.advance(120_000);
    expect(c.state).toBe('closed');
  });

  it('connect timeout closes with reason connect-timeout (broker never answers CONNECT)', async () => {
    const proxy = await startFaultProxy({ target: { host: '127.0.0.1', port: aedes.port } });
    try {
      proxy.setMode('blackhole');
      const scheduler = createFakeScheduler();
      const c = track(
        createClient({
          url: proxy.url,
          protocolVersion: 4,
          scheduler,
          connectTimeout: 5000,
          reconnect: false,
        }),
      );
      const connected = c.connect().catch((e: unknown) => e);
      await until(() => c.state === 'awaitingConnack', 2000, 'CONNECT sent');
      scheduler.advance(5000);
      expect(await connected).toMatchObject({
        reason: { type: 'connect-timeout', initiator: 'network' },
      });
      expect(c.state).toBe('closed');
    } finally {
      await proxy.close();
    }
  });
});

describe('CONNACK refusals', () => {
  it('bad credentials are not retried (3.1.1 return code 4)', async () => {
    const broker = await startAedes({
      broker: {
        authenticate: (_client, _user, _pass, done) => {
          const error = Object.assign(new Error('bad'), { returnCode: 4 });
          done(error as never, false);
        },
      },
    });
    try {
      const c = track(
        createClient({ url: broker.url, protocolVersion: 4, reconnect: { initialDelay: 1 } }),
      );
      const error = await c.connect().catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: 'MQTTKIT_ERR_CONNECT_FAILED',
        reasonCode: 4,
        reason: {
          type: 'connack-refused',
          reasonCode: 4,
          protocolVersion: 4,
          willReconnect: false,
        },
      });
      expect(c.state).toBe('closed');
    } finally {
      await broker.close();
    }
  });

  it('reconnect.retryRefusals retries them until the broker accepts (credentials fixed out of band)', async () => {
    let refusals = 2;
    const broker = await startAedes({
      broker: {
        authenticate: (_client, _user, _pass, done) => {
          if (refusals === 0) return done(null, true);
          refusals--;
          const error = Object.assign(new Error('bad'), { returnCode: 4 });
          done(error as never, false);
        },
      },
    });
    try {
      const c = track(
        createClient({
          url: broker.url,
          protocolVersion: 4,
          reconnect: { initialDelay: 1, maxDelay: 5, retryRefusals: true },
        }),
      );
      const closes: CloseReason[] = [];
      c.on('close', (reason) => closes.push(reason));
      const result = await c.connect();
      expect(result.attempt).toBe(2);
      expect(closes.map((r) => [r.type, r.willReconnect])).toEqual([
        ['connack-refused', true],
        ['connack-refused', true],
      ]);
      expect(c.state).toBe('connected');
    } finally {
      await broker.close();
    }
  });
});

describe('reconnect after a network cut', () => {
  it('resubscribes when the new session is not present, and flushes the offline queue in order', async () => {
    const proxy = await startFaultProxy({ target: { host: '127.0.0.1', port: aedes.port } });
    try {
      const c = track(
        createClient({
          url: proxy.url,
          protocolVersion: 4,
          reconnect: { initialDelay: 20, maxDelay: 20 },
        }),
      );
      const other = track(createClient({ url: aedes.url, protocolVersion: 4, reconnect: false }));
      await Promise.all([c.connect(), other.connect()]);
      const topic = `resub/${Math.random()}`;
      await c.subscribe(topic, { qos: 1 });
      const received: Message[] = [];
      c.on('message', (m) => received.push(m));
      proxy.setMode('cut');
      const offline = await next(c, 'offline');
      expect(offline).toMatchObject({ type: 'transport-error', willReconnect: true });
      // Published while offline: queued, then sent in order once back.
      const queued = [0, 1, 2].map((i) => c.publish(topic, `q${i}`, { qos: 1 }));
      expect(c.stats().queued).toBe(3);
      proxy.setMode('pass');
      const back = await next(c, 'connect', 5000);
      expect(back.sessionPresent).toBe(false);
      await Promise.all(queued);
      await other.publish(topic, 'from other', { qos: 1 });
      await until(() => received.length === 4, 3000, 'messages');
      expect(received.map((m) => text(m.payload))).toEqual(['q0', 'q1', 'q2', 'from other']);
    } finally {
      await proxy.close();
    }
  });

  it('queue: false rejects operations made while offline with NotConnectedError', async () => {
    const scheduler = createFakeScheduler();
    const c = track(createClient({ url: DEAD, protocolVersion: 4, scheduler, queue: false }));
    void c.connect().catch(() => {});
    await until(() => c.state === 'reconnectWait', 2000, 'offline');
    await expect(c.publish('t', 'x')).rejects.toMatchObject({
      code: 'MQTTKIT_ERR_NOT_CONNECTED',
      why: 'offline',
    });
    await c.end();
  });

  it('aborting a queued publish removes it (OperationAbortedError, sent: false)', async () => {
    const scheduler = createFakeScheduler();
    const c = track(createClient({ url: DEAD, protocolVersion: 4, scheduler }));
    void c.connect().catch(() => {});
    await until(() => c.state === 'reconnectWait', 2000, 'offline');
    const controller = new AbortController();
    const pending = c.publish('t', 'x', { qos: 1, signal: controller.signal });
    expect(c.stats().queued).toBe(1);
    controller.abort();
    await expect(pending).rejects.toMatchObject({
      code: 'MQTTKIT_ERR_OPERATION_ABORTED',
      sent: false,
    });
    expect(c.stats().queued).toBe(0);
    await c.end();
  });

  it('a bounded offline queue refuses with QueueFullError (reject-new) or drops the oldest', async () => {
    const scheduler = createFakeScheduler();
    const c = track(
      createClient({
        url: DEAD,
        protocolVersion: 4,
        scheduler,
        queue: { maxMessages: 2, overflow: 'drop-oldest' },
      }),
    );
    void c.connect().catch(() => {});
    await until(() => c.state === 'reconnectWait', 2000, 'offline');
    const first = c.publish('t', '1');
    const second = c.publish('t', '2');
    const third = c.publish('t', '3');
    await expect(first).rejects.toMatchObject({ code: 'MQTTKIT_ERR_QUEUE_FULL', dropped: true });
    const d = track(
      createClient({ url: DEAD, protocolVersion: 4, scheduler, queue: { maxMessages: 1 } }),
    );
    void d.connect().catch(() => {});
    await until(() => d.state === 'reconnectWait', 2000, 'offline');
    const kept = d.publish('t', '1');
    await expect(d.publish('t', '2')).rejects.toMatchObject({
      code: 'MQTTKIT_ERR_QUEUE_FULL',
      dropped: false,
    });
    await c.end();
    await d.end();
    // Pending operations settle with a typed reason when the client ends.
    for (const p of [second, third, kept]) {
      await expect(p).rejects.toMatchObject({
        code: 'MQTTKIT_ERR_CONNECTION_CLOSED',
        reason: { type: 'local-end' },
      });
    }
  });

  for (const protocolVersion of [4, 5] as const) {
    it.skipIf(!hasMosquitto)(
      `resends in-flight QoS 1/2 with DUP, in order, pipelined, with a persistent session (mosquitto, v${protocolVersion})`,
      async () => {
        const broker = mosquitto as MosquittoHandle;
        const proxy = await startFaultProxy({ target: { host: '127.0.0.1', port: broker.port } });
        try {
          const clientId = `persist-${protocolVersion}-${Math.random().toString(16).slice(2)}`;
          const c = track(
            createClient({
              url: proxy.url,
              protocolVersion,
              clientId,
              clean: false,
              ...(protocolVersion === 5 ? { sessionExpiryInterval: 300 } : {}),
              reconnect: { initialDelay: 20, maxDelay: 20 },
            }),
          );
          const sub = track(createClient({ url: broker.url, protocolVersion, reconnect: false }));
          await Promise.all([c.connect(), sub.connect()]);
          const topic = `inflight/${clientId}`;
          await sub.subscribe(topic, { qos: 2 });
          const got: Message[] = [];
          sub.on('message', (m) => got.push(m));

          proxy.setMode('blackhole');
          const sent: Packet[] = [];
          const wire: string[] = [];
          c.on('packetsend', (p) => {
            sent.push(p);
            wire.push(`send ${p.cmd}`);
          });
          c.on('packetreceive', (p) => wire.push(`recv ${p.cmd}`));
          const publishes = Array.from({ length: 6 }, (_, i) =>
            c.publish(topic, `m${i}`, { qos: i % 2 === 0 ? 1 : 2 }),
          );
          await until(() => sent.filter((p) => p.cmd === 'publish').length === 6, 2000, 'written');
          const firstIds = sent.flatMap((p) => (p.cmd === 'publish' ? [p.packetId] : []));
          expect(c.stats().inflight).toBe(6);
          sent.length = 0;
          wire.length = 0;
          proxy.setMode('cut');
          await next(c, 'offline');
          proxy.setMode('pass');
          const back = await next(c, 'connect', 5000);
          expect(back.sessionPresent).toBe(true);
          const results = await Promise.all(publishes);
          expect(results.every((r) => r.reasonCode < 0x80)).toBe(true);
          // Resent with DUP, the original ids, the original order...
          const resent = sent.filter((p) => p.cmd === 'publish');
          expect(resent.map((p) => (p.cmd === 'publish' ? p.packetId : 0))).toEqual(firstIds);
          expect(resent.every((p) => p.cmd === 'publish' && p.dup)).toBe(true);
          // ...and pipelined: all six were written before the first ack came back.
          const firstAck = wire.findIndex((w) => w === 'recv puback' || w === 'recv pubrec');
          const lastResend = wire.lastIndexOf('send publish');
          expect(wire.slice(0, 3)).toEqual(['send connect', 'recv connack', 'send publish']);
          expect(lastResend).toBeLessThan(firstAck);
          await until(() => got.length >= 6, 3000, 'delivery');
          // Delivered exactly once each (the blackholed copies never reached the broker).
          expect(got.map((m) => text(m.payload)).sort()).toEqual([
            'm0',
            'm1',
            'm2',
            'm3',
            'm4',
            'm5',
          ]);
          expect(c.stats().inflight).toBe(0);
        } finally {
          await proxy.close();
        }
      },
    );
  }

  it.skipIf(!hasMosquitto)('explicit reconnect() keeps the in-flight store', async () => {
    const broker = mosquitto as MosquittoHandle;
    const proxy = await startFaultProxy({ target: { host: '127.0.0.1', port: broker.port } });
    try {
      const c = track(
        createClient({
          url: proxy.url,
          protocolVersion: 5,
          clientId: `explicit-${Math.random().toString(16).slice(2)}`,
          clean: false,
          sessionExpiryInterval: 300,
          reconnect: { initialDelay: 20, maxDelay: 20 },
        }),
      );
      await c.connect();
      proxy.setMode('blackhole');
      const pending = c.publish('explicit/t', 'x', { qos: 1 });
      await until(() => c.stats().inflight === 1, 2000, 'in flight');
      proxy.setMode('cut');
      await next(c, 'offline');
      proxy.setMode('pass');
      c.reconnect();
      const back = await next(c, 'connect', 5000);
      expect(back.sessionPresent).toBe(true);
      // 0x10 "No matching subscribers" is a success code.
      expect((await pending).reasonCode).toBeLessThan(0x80);
      expect(c.stats().inflight).toBe(0);
    } finally {
      await proxy.close();
    }
  });
});
