// Scenario 3: no message loss. One publisher sends 10,000 QoS 1 and 10,000 QoS 2 messages
// (interleaved, two topics) through a fault proxy that cuts (RST) its links 50 times at random
// points of the stream, while mosquitto (persistence on) is restarted twice. Two subscribers with
// persistent sessions sit behind proxies cut at the same moments:
//
// - `ordered` announces Receive Maximum 1: the condition under which MQTT 5 (section 4.6,
//   non-normative) promises that no message arrives after a later one, even across reconnects.
//   It must receive every QoS 1 message at least once (first copies in publish order) and every
//   QoS 2 message exactly once, in publish order.
// - `windowed` keeps the default window. mosquitto 2.0.11 then sometimes sends a queued message
//   ahead of older ones after a subscriber reconnects. It must still receive everything (QoS 2
//   exactly once), and the client must hand messages over in exactly the order the broker sent
//   them (checked against the frames that crossed its proxy): any reordering is the broker's.
//
// mosquitto saves its persistence file on a clean exit (or every autosave_interval), so a
// SIGKILL would lose the broker's own recent state: that tests mosquitto, not the client. The
// restarts here are SIGTERM + start; the client-side crash is scenario 4.

import { createClient, type Message, type MqttClient } from '@mqttkit/client';
import { createDecoder, type Packet } from '@mqttkit/codec';
import {
  type FaultProxy,
  hasMosquitto,
  type MosquittoHandle,
  type PacketLog,
  recordPackets,
  startFaultProxy,
  startMosquitto,
} from '@mqttkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep, text, uid, until } from '../test/helpers.js';

const PER_QOS = 10_000;
const CUTS = 50;
const WINDOW = 100;

let broker: MosquittoHandle | undefined;
const proxies: FaultProxy[] = [];
beforeAll(async () => {
  if (!hasMosquitto) return;
  broker = await startMosquitto({ persistence: true, extraConfig: ['max_queued_messages 0'] });
  for (let i = 0; i < 3; i++) {
    proxies.push(await startFaultProxy({ target: { host: '127.0.0.1', port: broker.port } }));
  }
});
afterAll(async () => {
  for (const p of proxies) await p.close();
  await broker?.close();
});

interface Received {
  q1: number[];
  q2: number[];
}

function collect(client: MqttClient): Received {
  const got: Received = { q1: [], q2: [] };
  client.on('message', (m: Message) => {
    (m.topic.endsWith('/q2') ? got.q2 : got.q1).push(Number(text(m.payload)));
  });
  return got;
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** First copy of each seq, in arrival order. */
function firsts(seqs: number[]): number[] {
  const seen = new Set<number>();
  return seqs.filter((s) => !seen.has(s) && Boolean(seen.add(s)));
}

/** The QoS 2 seqs the broker sent on the logged links, in the order they crossed the proxy. */
function sentByBroker(log: PacketLog): number[] {
  const out: number[] = [];
  const decoder = createDecoder({
    protocolVersion: 5,
    onPacket: (packet: Packet) => {
      if (packet.cmd === 'publish' && packet.topic.endsWith('/q2')) {
        out.push(Number(text(packet.payload)));
      }
    },
    onError: (error) => {
      throw error;
    },
  });
  // Only frames that reached the client: a frame the cut dropped was never delivered.
  for (const f of log.packets) {
    if (f.direction === 'target-to-client' && f.forwarded && f.name === 'publish') {
      decoder.push(f.bytes);
    }
  }
  return out;
}

describe.skipIf(!hasMosquitto)('scenario 3: no loss under cuts and broker restarts', () => {
  it(`${PER_QOS} QoS 1 + ${PER_QOS} QoS 2, ${CUTS} cuts, 2 restarts`, async () => {
    const b = broker as MosquittoHandle;
    const [pubProxy, orderedProxy, windowedProxy] = proxies as [FaultProxy, FaultProxy, FaultProxy];
    const id = uid();
    const topic = `noloss/${id}`;
    const common = {
      protocolVersion: 5 as const,
      clean: false,
      sessionExpiryInterval: 3600,
      keepalive: 5,
      connectTimeout: 2000,
      reconnect: { initialDelay: 20, maxDelay: 250 },
      queue: { maxMessages: WINDOW * 2 },
    };
    const ordered = createClient({
      ...common,
      url: orderedProxy.url,
      clientId: `noloss-ordered-${id}`,
      receiveMaximum: 1,
    });
    const windowed = createClient({
      ...common,
      url: windowedProxy.url,
      clientId: `noloss-windowed-${id}`,
    });
    const pub: MqttClient = createClient({
      ...common,
      url: pubProxy.url,
      clientId: `noloss-pub-${id}`,
    });
    const gotOrdered = collect(ordered);
    const gotWindowed = collect(windowed);
    const windowedLog = recordPackets(windowedProxy);
    let connects = 0;
    pub.on('connect', () => connects++);
    try {
      for (const sub of [ordered, windowed]) {
        await sub.connect();
        await sub.subscribe(`${topic}/+`, { qos: 2 });
      }
      await pub.connect();

      // Fault points, as counts of completed publishes: 50 cuts at random, restarts at 1/3, 2/3.
      const total = PER_QOS * 2;
      const cutAt = range(CUTS)
        .map(() => Math.floor(Math.random() * total))
        .sort((x, y) => x - y);
      const restartAt = [Math.floor(total / 3), Math.floor((2 * total) / 3)];
      let done = 0;
      let cuts = 0;
      let restarts = 0;
      let faulting = Promise.resolve();
      const onProgress = (): void => {
        while (cuts < cutAt.length && (cutAt[cuts] as number) <= done) {
          cuts++;
          faulting = faulting.then(async () => {
            for (const p of proxies) p.setMode('cut');
            await sleep(5 + Math.random() * 30);
            for (const p of proxies) p.setMode('pass');
          });
        }
        while (restarts < restartAt.length && (restartAt[restarts] as number) <= done) {
          restarts++;
          faulting = faulting.then(() => b.restart({ signal: 'SIGTERM' }));
        }
      };

      const started = performance.now();
      let nextSeq = 0;
      const worker = async (): Promise<void> => {
        while (nextSeq < total) {
          const n = nextSeq++;
          const qos = n % 2 === 1 ? 2 : 1;
          await pub.publish(`${topic}/q${qos}`, String(Math.floor(n / 2)), { qos });
          done++;
          onProgress();
        }
      };
      await Promise.all(range(WINDOW).map(worker));
      await faulting;
      const publishMs = performance.now() - started;
      expect(cuts).toBe(CUTS);
      expect(restarts).toBe(2);

      const complete = (g: Received) => new Set(g.q1).size === PER_QOS && g.q2.length >= PER_QOS;
      await until(() => complete(gotOrdered) && complete(gotWindowed), 90_000, 'every message');
      await sleep(500); // a late duplicate would arrive now
      const deliveredMs = performance.now() - started;

      // Receive Maximum 1: QoS 2 exactly once and in order; QoS 1 at least once, first copies in order.
      expect(gotOrdered.q2).toEqual(range(PER_QOS));
      expect(firsts(gotOrdered.q1)).toEqual(range(PER_QOS));

      // Default window: nothing lost, QoS 2 exactly once, delivered in the broker's order.
      expect([...gotWindowed.q2].sort((x, y) => x - y)).toEqual(range(PER_QOS));
      expect(new Set(gotWindowed.q1).size).toBe(PER_QOS);
      const brokerOrder = firsts(sentByBroker(windowedLog));
      expect(gotWindowed.q2).toEqual(brokerOrder);
      const outOfOrder = gotWindowed.q2.filter(
        (s, i) => i > 0 && s < (gotWindowed.q2[i - 1] as number),
      ).length;

      console.log(
        `no-loss: ${total} publishes in ${(publishMs / 1000).toFixed(1)} s (all delivered after ` +
          `${(deliveredMs / 1000).toFixed(1)} s), ${cuts} cuts, ${restarts} restarts, ` +
          `${connects - 1} publisher reconnects; Receive Maximum 1: ` +
          `${gotOrdered.q1.length - PER_QOS} QoS 1 duplicates, QoS 2 exactly once in order; ` +
          `default window: ${gotWindowed.q1.length - PER_QOS} QoS 1 duplicates, ` +
          `${outOfOrder} QoS 2 messages sent out of order by the broker`,
      );
    } finally {
      windowedLog.stop();
      await pub.end({ force: true });
      await ordered.end({ force: true });
      await windowed.end({ force: true });
    }
  });
});
