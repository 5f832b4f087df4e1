// Every close path ends in a defined state with a typed reason, and connect -> publish works
// afterwards: no flag left set by one path can refuse the next connection (MQTT.js #1897), and
// every close says why (MQTT.js #1178: a bare `close` event left users guessing).

import type { CloseReason } from '@mqttkit/state';
import {
  type FaultProxy,
  hasMosquitto,
  type MosquittoHandle,
  startFaultProxy,
  startMosquitto,
} from '@mqttkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type MqttClient } from '../src/index.js';
import { next, text } from './helpers.js';
import { startScriptedBroker } from './scripted-broker.js';

let broker: MosquittoHandle;
let proxy: FaultProxy;
const clients: MqttClient[] = [];

beforeAll(async () => {
  if (!hasMosquitto) return;
  broker = await startMosquitto();
  proxy = await startFaultProxy({ target: { host: '127.0.0.1', port: broker.port } });
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.end({ force: true })));
  await proxy?.close();
  await broker?.close();
});

async function publishWorks(c: MqttClient, topic: string): Promise<void> {
  await c.connect();
  await c.subscribe(topic, { qos: 1 });
  const got = next(c, 'message');
  await c.publish(topic, 'after', { qos: 1 });
  expect(text((await got).payload)).toBe('after');
}

type Path = {
  name: string;
  /** Brings the connected (or connecting) client down; resolves with the close reason. */
  close(c: MqttClient): Promise<CloseReason>;
  expected: Partial<CloseReason>;
  connectFirst: boolean;
};

const paths: Path[] = [
  {
    // mosquitto 2.0.11 closes the old link without a DISCONNECT 0x8E on a session takeover.
    name: 'broker closes the socket (session taken over)',
    connectFirst: true,
    async close(c) {
      const closed = next(c, 'end');
      const thief = createClient({
        url: broker.url,
        protocolVersion: 5,
        clientId: 'close-path-taken',
        reconnect: false,
      });
      clients.push(thief);
      await thief.connect();
      const reason = await closed;
      await thief.end();
      return reason;
    },
    expected: { type: 'transport-closed', initiator: 'network', willReconnect: false },
  },
  {
    name: 'keepalive death (half-open link)',
    connectFirst: true,
    async close(c) {
      const closed = next(c, 'end', 4000);
      proxy.setMode('blackhole');
      const reason = await closed;
      proxy.setMode('pass');
      return reason;
    },
    expected: { type: 'keepalive-timeout', initiator: 'network', willReconnect: false },
  },
  {
    name: 'connect timeout',
    connectFirst: false,
    async close(c) {
      proxy.setMode('blackhole');
      const reason = await c.connect().then(
        () => undefined,
        (e: { reason: CloseReason }) => e.reason,
      );
      proxy.setMode('pass');
      return reason as CloseReason;
    },
    expected: { type: 'connect-timeout', initiator: 'network', willReconnect: false },
  },
  {
    name: 'stream error (connection reset)',
    connectFirst: true,
    async close(c) {
      const closed = next(c, 'end');
      proxy.setMode('cut');
      const reason = await closed;
      proxy.setMode('pass');
      return reason;
    },
    expected: { type: 'transport-error', initiator: 'network', willReconnect: false },
  },
];

describe.skipIf(!hasMosquitto)('every close path leaves a clean state (mosquitto 5.0)', () => {
  for (const path of paths) {
    it(`${path.name}: typed reason, closed, then connect -> publish works`, async () => {
      const c = createClient({
        url: proxy.url,
        protocolVersion: 5,
        clientId: 'close-path-taken',
        keepalive: 1,
        connectTimeout: 500,
        reconnect: false,
      });
      clients.push(c);
      if (path.connectFirst) await c.connect();
      const reason = await path.close(c);
      expect(reason).toMatchObject(path.expected);
      expect(c.state).toBe('closed');
      await publishWorks(c, `close-path/${path.name.length}`);
      await c.end();
    });
  }
});

describe('broker DISCONNECT (MQTT 5, scripted broker)', () => {
  it('typed reason with code and reason string, closed, then connect -> publish works', async () => {
    // A minimal broker: grants subscriptions, acknowledges and echoes QoS 1 publishes.
    const b = await startScriptedBroker(5, undefined, (packet, send) => {
      if (packet.cmd === 'subscribe') {
        send({
          cmd: 'suback',
          packetId: packet.packetId,
          reasonCodes: packet.subscriptions.map(() => 1),
        });
        return true;
      }
      if (packet.cmd === 'publish' && packet.packetId !== undefined) {
        send({ cmd: 'puback', packetId: packet.packetId });
        send({ ...packet, qos: 0, dup: false, packetId: undefined });
        return true;
      }
      return false;
    });
    try {
      const c = createClient({ url: b.url, protocolVersion: 5, reconnect: false });
      clients.push(c);
      await c.connect();
      const ended = next(c, 'end');
      b.send({ cmd: 'disconnect', reasonCode: 0x98, properties: { reasonString: 'operator' } });
      expect(await ended).toMatchObject({
        type: 'broker-disconnect',
        initiator: 'broker',
        reasonCode: 0x98,
        reasonString: 'operator',
        willReconnect: false,
      });
      expect(c.state).toBe('closed');
      // [MQTT-3.14.4-2]: no DISCONNECT answers the broker's.
      expect(b.received.filter((p) => p.cmd === 'disconnect')).toEqual([]);
      await publishWorks(c, 'scripted/t');
      await c.end();
    } finally {
      await b.close();
    }
  });
});
