// Scenario 1: a half-open link. The proxy blackholes both directions and keeps both sockets
// open, so no FIN or RST ever reaches the client: only keepalive can tell. The client's
// documented bound (packages/keepalive README, "The bound") is keepalive + ping timeout after
// the last packet received: 2000 + 1000 = 3000 ms with keepalive 2 s and the default timeout.
import { createClient, type Message } from '@mqttkit/client';
import {
  type FaultProxy,
  hasMosquitto,
  type MosquittoHandle,
  recordPackets,
  startFaultProxy,
  startMosquitto,
} from '@mqttkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { next, text, uid, until } from './helpers.js';

const KEEPALIVE_MS = 2000;
const BOUND_MS = KEEPALIVE_MS + KEEPALIVE_MS / 2;
/** The proxy reads a packet a little before the client does; never more than this. */
const EARLY_TOLERANCE_MS = 30;
const LATE_TOLERANCE_MS = 300;

let broker: MosquittoHandle | undefined;
let proxy: FaultProxy | undefined;
beforeAll(async () => {
  if (!hasMosquitto) return;
  broker = await startMosquitto();
  proxy = await startFaultProxy({ target: { host: '127.0.0.1', port: broker.port } });
});
afterAll(async () => {
  await proxy?.close();
  await broker?.close();
});

describe.skipIf(!hasMosquitto)('scenario 1: half-open link', () => {
  it('declares the link dead within [bound - 30 ms, bound + 300 ms], reconnects and resubscribes', async () => {
    const p = proxy as FaultProxy;
    const b = broker as MosquittoHandle;
    const log = recordPackets(p);
    const topic = `half-open/${uid()}`;
    const client = createClient({
      url: p.url,
      protocolVersion: 5,
      keepalive: KEEPALIVE_MS / 1000,
      connectTimeout: 1000,
      reconnect: { initialDelay: 100, maxDelay: 400, jitter: 'none' },
    });
    const other = createClient({ url: b.url, protocolVersion: 5, reconnect: false });
    try {
      await client.connect();
      await other.connect();
      await client.subscribe(topic, { qos: 1 });
      // Light traffic before the fault, so the measurement starts from a busy link.
      await client.publish(`${topic}/warmup`, 'x', { qos: 1 });

      p.setMode('blackhole');
      const blackholedAt = performance.now();
      const offline = await next(client, 'offline', BOUND_MS + 2000);
      const detectedAt = performance.now();
      expect(offline).toMatchObject({ type: 'keepalive-timeout', willReconnect: true });

      const lastFromBroker = log.packets
        .filter((x) => x.direction === 'target-to-client')
        .filter((x) => x.forwarded && x.linkId === 1)
        .reduce((max, x) => Math.max(max, x.atMs), 0);
      expect(lastFromBroker).toBeGreaterThan(0);
      expect(lastFromBroker).toBeLessThanOrEqual(blackholedAt);
      const silentMs = detectedAt - lastFromBroker;
      console.log(
        `half-open: declared dead ${silentMs.toFixed(1)} ms after the last packet (bound ${BOUND_MS})`,
      );
      expect(silentMs).toBeGreaterThanOrEqual(BOUND_MS - EARLY_TOLERANCE_MS);
      expect(silentMs).toBeLessThanOrEqual(BOUND_MS + LATE_TOLERANCE_MS);
      // Exactly one PINGREQ went into the black hole before the verdict [MQTT-3.1.2-24].
      const pingsIntoHole = log.packets.filter(
        (x) => x.name === 'pingreq' && x.linkId === 1 && !x.forwarded,
      );
      expect(pingsIntoHole).toHaveLength(1);

      // Back to normal: the client reconnects on its own and subscribes again (new session).
      p.setMode('pass');
      const connected = await next(client, 'connect', 5000);
      expect(connected.sessionPresent).toBe(false);
      const lastLink = Math.max(...log.packets.map((x) => x.linkId));
      await until(
        () =>
          log.packets.some(
            (x) =>
              x.name === 'suback' && x.linkId === lastLink && x.direction === 'target-to-client',
          ),
        3000,
        'SUBACK on the new link',
      );
      const got: Message[] = [];
      client.on('message', (m) => got.push(m));
      await other.publish(topic, 'after', { qos: 1 });
      await until(() => got.length === 1, 3000, 'message after resubscribe');
      expect(text((got[0] as Message).payload)).toBe('after');
    } finally {
      log.stop();
      await client.end({ force: true });
      await other.end({ force: true });
    }
  });
});
