import type { Packet } from '@mqttkit/codec';
import {
  hasMosquitto,
  type MosquittoHandle,
  startFaultProxy,
  startMosquitto,
} from '@mqttkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type Message, type MqttClient } from '../src/index.js';
import { next, sleep, text, until } from './helpers.js';

// Inbound QoS 2 across a reconnect: the broker never saw our PUBREC, so it sends the PUBLISH again
// (DUP) on the resumed session. The application must still see the message once [MQTT-4.3.3].

let broker: MosquittoHandle;
const clients: MqttClient[] = [];

beforeAll(async () => {
  if (hasMosquitto) broker = await startMosquitto();
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.end({ force: true })));
  await broker?.close();
});

describe.skipIf(!hasMosquitto)('inbound QoS 2 exactly once across a reconnect', () => {
  for (const protocolVersion of [4, 5] as const) {
    it(`a redelivered PUBLISH (DUP) after a cut is acknowledged, not delivered twice (v${protocolVersion})`, async () => {
      const proxy = await startFaultProxy({ target: { host: '127.0.0.1', port: broker.port } });
      try {
        const clientId = `qos2-once-${protocolVersion}-${Math.random().toString(16).slice(2)}`;
        const sub = createClient({
          url: proxy.url,
          protocolVersion,
          clientId,
          clean: false,
          ...(protocolVersion === 5 ? { sessionExpiryInterval: 300 } : {}),
          reconnect: { initialDelay: 20, maxDelay: 20 },
        });
        const pub = createClient({ url: broker.url, protocolVersion, reconnect: false });
        clients.push(sub, pub);
        await Promise.all([sub.connect(), pub.connect()]);
        await sub.subscribe('once/topic', { qos: 2 });

        const delivered: Message[] = [];
        sub.on('message', (m) => delivered.push(m));
        const received: Packet[] = [];
        const sent: Packet[] = [];
        sub.on('packetreceive', (p) => {
          received.push(p);
          // Swallow our PUBREC: the broker keeps the message unacknowledged.
          if (p.cmd === 'publish' && received.filter((r) => r.cmd === 'publish').length === 1) {
            proxy.setMode('blackhole');
          }
        });
        sub.on('packetsend', (p) => sent.push(p));

        await pub.publish('once/topic', 'exactly-once', { qos: 2 });
        await until(() => delivered.length === 1, 3000, 'first delivery');

        proxy.setMode('cut');
        await next(sub, 'offline');
        proxy.setMode('pass');
        const back = await next(sub, 'connect', 5000);
        expect(back.sessionPresent).toBe(true);

        // The broker resends the PUBLISH with DUP (no PUBREC reached it); the flow then completes.
        await until(() => sent.some((p) => p.cmd === 'pubcomp'), 3000, 'PUBCOMP');
        const publishes = received.filter((p) => p.cmd === 'publish');
        expect(publishes).toHaveLength(2);
        expect(publishes[1]).toMatchObject({ dup: true, packetId: publishes[0]?.packetId });
        await sleep(100);
        expect(delivered.map((m) => text(m.payload))).toEqual(['exactly-once']);
      } finally {
        await proxy.close();
      }
    });
  }
});
