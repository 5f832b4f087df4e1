import type { Packet } from '@mqttkit/codec';
import { createFakeScheduler } from '@mqttkit/keepalive';
import {
  type AedesHandle,
  hasMosquitto,
  startAedes,
  startFaultProxy,
  startMosquitto,
} from '@mqttkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type MqttClient } from '../src/index.js';
import { next, until } from './helpers.js';

let aedes: AedesHandle;
const clients: MqttClient[] = [];

beforeAll(async () => {
  aedes = await startAedes();
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.end({ force: true })));
  await aedes.close();
});

describe('keepalive through @mqttkit/keepalive', () => {
  it('sends one PINGREQ per idle keepalive interval and counts the PINGRESPs (fake clock, real broker)', async () => {
    const scheduler = createFakeScheduler();
    const c = createClient({
      url: aedes.url,
      protocolVersion: 4,
      keepalive: 10,
      scheduler,
      reconnect: false,
    });
    clients.push(c);
    const sent: Array<{ cmd: Packet['cmd']; at: number }> = [];
    c.on('packetsend', (p) => sent.push({ cmd: p.cmd, at: scheduler.now() }));
    await c.connect();
    scheduler.advance(9_999);
    expect(sent.filter((p) => p.cmd === 'pingreq')).toHaveLength(0);
    scheduler.advance(1);
    expect(sent.filter((p) => p.cmd === 'pingreq')).toHaveLength(1);
    await until(() => c.stats().pongsReceived === 1, 2000, 'PINGRESP');
    // Many small steps: still never two PINGREQs within one keepalive.
    for (let i = 0; i < 100; i++) scheduler.advance(100);
    await until(() => c.stats().pongsReceived === 2, 2000, 'second PINGRESP');
    const times = sent.filter((p) => p.cmd === 'pingreq').map((p) => p.at);
    expect(times).toEqual([10_000, 20_000]);
    expect(c.stats()).toMatchObject({ pingsSent: 2, pongsReceived: 2, lastRttMs: 0 });
    expect(c.state).toBe('connected');
  });

  it('detects a half-open link within 1.5 x keepalive and takes the normal reconnect path', async () => {
    const proxy = await startFaultProxy({ target: { host: '127.0.0.1', port: aedes.port } });
    try {
      const c = createClient({
        url: proxy.url,
        protocolVersion: 4,
        keepalive: 1,
        reconnect: { initialDelay: 20, maxDelay: 20 },
      });
      clients.push(c);
      await c.connect();
      let lastReceived = performance.now();
      c.on('packetreceive', () => {
        lastReceived = performance.now();
      });
      proxy.setMode('blackhole');
      const offline = await next(c, 'offline', 4000);
      const silentMs = performance.now() - lastReceived;
      expect(offline).toMatchObject({
        type: 'keepalive-timeout',
        initiator: 'network',
        willReconnect: true,
      });
      // Bound: 1.5 x keepalive after the last packet from the broker (+ timer slack).
      expect(silentMs).toBeLessThan(1500 + 250);
      proxy.setMode('pass');
      const back = await next(c, 'connect', 4000);
      expect(back.attempt).toBeGreaterThan(0);
      await c.end();
    } finally {
      await proxy.close();
    }
  });

  it.skipIf(!hasMosquitto)('applies the MQTT 5 Server Keep Alive from CONNACK', async () => {
    const broker = await startMosquitto({ extraConfig: ['max_keepalive 10'] });
    try {
      const scheduler = createFakeScheduler();
      const c = createClient({
        url: broker.url,
        protocolVersion: 5,
        keepalive: 60,
        scheduler,
        reconnect: false,
      });
      clients.push(c);
      const sent: number[] = [];
      c.on('packetsend', (p) => {
        if (p.cmd === 'pingreq') sent.push(scheduler.now());
      });
      const result = await c.connect();
      expect(result.properties?.serverKeepAlive).toBe(10);
      scheduler.advance(10_000);
      expect(sent).toEqual([10_000]);
      await until(() => c.stats().pongsReceived === 1, 2000, 'PINGRESP');
      await c.end();
    } finally {
      await broker.close();
    }
  });
});
