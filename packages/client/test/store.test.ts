// The in-flight store outlives a client: a new client (a restarted process) given the same store
// finishes the flows the old one left, with DUP, on the broker's persistent session.
import type { Packet } from '@mqttkit/codec';
import {
  hasMosquitto,
  type MosquittoHandle,
  startFaultProxy,
  startMosquitto,
} from '@mqttkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createClient,
  type InflightEntry,
  type InflightStore,
  type Message,
} from '../src/index.js';
import { text, until } from './helpers.js';

let broker: MosquittoHandle | undefined;
beforeAll(async () => {
  if (hasMosquitto) broker = await startMosquitto();
});
afterAll(async () => {
  await broker?.close();
});

/** An asynchronous store, as a file or IndexedDB store would be. */
function asyncStore(): InflightStore & { size(): number } {
  const entries = new Map<number, InflightEntry>();
  const later = () => new Promise<void>((resolve) => setTimeout(resolve, 1));
  return {
    async put(id, entry) {
      await later();
      entries.set(id, entry);
    },
    async delete(id) {
      await later();
      entries.delete(id);
    },
    async entries() {
      await later();
      return [...entries];
    },
    async clear() {
      entries.clear();
    },
    size: () => entries.size,
  };
}

describe.skipIf(!hasMosquitto)('a persistent in-flight store across client instances', () => {
  it('a restarted client resends the flows left in the store, with DUP and their ids', async () => {
    const b = broker as MosquittoHandle;
    const proxy = await startFaultProxy({ target: { host: '127.0.0.1', port: b.port } });
    const store = asyncStore();
    const clientId = `store-${Math.random().toString(16).slice(2)}`;
    const options = {
      protocolVersion: 5 as const,
      clientId,
      clean: false,
      sessionExpiryInterval: 300,
      store,
      reconnect: false as const,
    };
    const sub = createClient({ url: b.url, protocolVersion: 5, reconnect: false });
    try {
      await sub.connect();
      await sub.subscribe(`store/${clientId}`, { qos: 1 });
      const got: Message[] = [];
      sub.on('message', (m) => got.push(m));

      const first = createClient({ url: proxy.url, ...options });
      await first.connect();
      proxy.setMode('blackhole');
      const lost = [0, 1, 2].map((i) => first.publish(`store/${clientId}`, `m${i}`, { qos: 1 }));
      await until(() => store.size() === 3, 2000, 'stored');
      // The process "dies": the link is destroyed, callers get a typed rejection.
      await first.end({ force: true });
      for (const p of lost) await expect(p).rejects.toMatchObject({ inflight: true });

      proxy.setMode('pass');
      const second = createClient({ url: proxy.url, ...options });
      const sent: Packet[] = [];
      second.on('packetsend', (p) => sent.push(p));
      const result = await second.connect();
      expect(result.sessionPresent).toBe(true);
      await until(() => got.length === 3, 3000, 'delivery');
      expect(got.map((m) => text(m.payload))).toEqual(['m0', 'm1', 'm2']);
      const resent = sent.filter((p) => p.cmd === 'publish');
      expect(resent.map((p) => p.cmd === 'publish' && p.dup)).toEqual([true, true, true]);
      await until(() => store.size() === 0, 2000, 'store emptied');
      await second.end();
    } finally {
      await sub.end({ force: true });
      await proxy.close();
    }
  });
});
