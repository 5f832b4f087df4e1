// Found by the crash scenario (packages/reliability/slow/crash-persistence.test.ts): with an
// asynchronous store, PUBREL went out before the store recorded the flow as past PUBREC. A
// process killed in between restarted with the old `publish` entry and resent the PUBLISH; the
// broker had finished that id, took it as new, and delivered the QoS 2 message twice. Once PUBREL
// is sent the PUBLISH must never be resent (spec 4.3.3), so the `pubrel` entry must be stored
// first.
import { startAedes } from '@mqttkit/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, type InflightEntry, type InflightStore, type Packet } from '../src/index.js';
import { until } from './helpers.js';

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

/** An asynchronous store whose `pubrel` puts wait until the test releases them. */
function gatedStore() {
  const map = new Map<number, InflightEntry>();
  const gates: Array<() => void> = [];
  const store: InflightStore = {
    async put(id, entry) {
      if (entry.kind === 'pubrel') await new Promise<void>((resolve) => gates.push(resolve));
      map.set(id, entry);
    },
    async delete(id) {
      map.delete(id);
    },
    async entries() {
      return [...map];
    },
    async clear() {
      map.clear();
    },
  };
  return { store, map, gates };
}

describe('an asynchronous store and QoS 2', () => {
  it('writes PUBREL only once the pubrel entry is stored', async () => {
    const broker = await startAedes();
    cleanup.push(() => broker.close());
    const { store, map, gates } = gatedStore();
    const client = createClient({ url: broker.url, protocolVersion: 4, store, reconnect: false });
    cleanup.push(() => client.end({ force: true }));
    const sent: Packet[] = [];
    client.on('packetsend', (p) => sent.push(p));
    await client.connect();
    let done = false;
    const publishing = client.publish('q2/pubrel-order', 'x', { qos: 2 }).then(() => {
      done = true;
    });
    await until(() => gates.length === 1, 3000, 'the pubrel put');
    // PUBREC arrived and the store is recording it: no PUBREL may have left yet.
    await new Promise((r) => setTimeout(r, 50));
    expect(sent.map((p) => p.cmd)).toEqual(['connect', 'publish']);
    expect(map.get(1)?.kind).toBe('publish');
    (gates[0] as () => void)();
    await publishing;
    expect(done).toBe(true);
    expect(sent.map((p) => p.cmd)).toEqual(['connect', 'publish', 'pubrel']);
  });
});
