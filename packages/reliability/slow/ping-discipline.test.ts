// Scenario 2: ping discipline over 30 s of real time with keepalive 2 s, measured at the broker
// side of a proxy: 15 s idle, then 15 s of light traffic (a QoS 0 PUBLISH every 300 ms, which
// counts as sending but brings nothing back, so PINGREQs are still due for the silence inbound).
// The broker must never see two PINGREQs less than one keepalive apart, nor a PINGREQ while
// another is unanswered.
import { createClient } from '@mqttkit/client';
import {
  type FaultProxy,
  hasMosquitto,
  type LoggedPacket,
  type MosquittoHandle,
  recordPackets,
  startFaultProxy,
  startMosquitto,
} from '@mqttkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep, uid } from '../test/helpers.js';

const KEEPALIVE_MS = 2000;
/** Proxy timestamps are read by another event loop than the client's timers. */
const TOLERANCE_MS = 25;
const PHASE_MS = 15_000;

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

function check(packets: readonly LoggedPacket[], from: number, to: number) {
  const pings = packets.filter(
    (p) =>
      p.name === 'pingreq' && p.direction === 'client-to-target' && p.atMs >= from && p.atMs < to,
  );
  const gaps = pings.slice(1).map((p, i) => p.atMs - (pings[i] as LoggedPacket).atMs);
  // Outstanding: between two PINGREQs the broker's PINGRESP must have crossed the proxy.
  let unansweredAtNextPing = 0;
  for (let i = 1; i < pings.length; i++) {
    const a = (pings[i - 1] as LoggedPacket).atMs;
    const b = (pings[i] as LoggedPacket).atMs;
    const answered = packets.some(
      (p) =>
        p.name === 'pingresp' && p.direction === 'target-to-client' && p.atMs > a && p.atMs < b,
    );
    if (!answered) unansweredAtNextPing++;
  }
  return {
    count: pings.length,
    minGap: Math.min(...gaps),
    maxGap: Math.max(...gaps),
    unansweredAtNextPing,
  };
}

describe.skipIf(!hasMosquitto)('scenario 2: ping discipline', () => {
  it('30 s, keepalive 2 s: PINGREQs >= one keepalive apart, never two outstanding', async () => {
    const p = proxy as FaultProxy;
    const log = recordPackets(p);
    const client = createClient({
      url: p.url,
      protocolVersion: 5,
      keepalive: KEEPALIVE_MS / 1000,
      reconnect: false,
    });
    try {
      await client.connect();
      const t0 = performance.now();
      await sleep(PHASE_MS);
      const t1 = performance.now();
      const topic = `ping/${uid()}`;
      while (performance.now() - t1 < PHASE_MS) {
        await client.publish(topic, 'x', { qos: 0 });
        await sleep(300);
      }
      const t2 = performance.now();
      expect(client.state).toBe('connected');

      const idle = check(log.packets, t0, t1);
      const busy = check(log.packets, t1, t2);
      const all = check(log.packets, t0, t2);
      console.log(
        `ping discipline: idle ${idle.count} pings, gaps ${idle.minGap.toFixed(1)}-${idle.maxGap.toFixed(1)} ms; ` +
          `busy ${busy.count} pings, gaps ${busy.minGap.toFixed(1)}-${busy.maxGap.toFixed(1)} ms`,
      );
      expect(all.minGap).toBeGreaterThanOrEqual(KEEPALIVE_MS - TOLERANCE_MS);
      expect(all.unansweredAtNextPing).toBe(0);
      // It did ping: about one per keepalive in both phases (15 s / 2 s).
      expect(idle.count).toBeGreaterThanOrEqual(6);
      expect(busy.count).toBeGreaterThanOrEqual(6);
      expect(all.maxGap).toBeLessThanOrEqual(KEEPALIVE_MS + 300);
      expect(client.stats().pingsSent).toBe(log.count('pingreq', 'client-to-target'));
    } finally {
      log.stop();
      await client.end({ force: true });
    }
  });
});
