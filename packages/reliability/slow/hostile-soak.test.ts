// Scenario 6 (soak): every family of hostile-broker cases run 1,000 times, cycling through its
// members (every CONNACK refusal code, every DISCONNECT code...). Each run must end exactly as
// in the single-run test; after each family no timer or socket is left behind and the heap,
// after a forced collection, has not grown beyond a small bound.
import { type HostileBroker, type HostileConnection, startHostileBroker } from '@mqttkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep } from '../test/helpers.js';
import {
  type CaseOutcome,
  type HostileCase,
  hostileCases,
  runCase,
} from '../test/hostile-cases.js';

const RUNS = 1000;
const BATCH = 20;
/** Heap growth allowed per family of 1,000 runs after a forced GC (a leak of one 1 KiB object
 * per run would already show as 1 MB). */
const HEAP_BOUND_BYTES = 2 * 1024 * 1024;

let broker: HostileBroker;
let waiting: Array<(c: HostileConnection) => void> = [];
beforeAll(async () => {
  broker = await startHostileBroker((c) => {
    const w = waiting.shift();
    if (w) w(c);
  });
});
afterAll(async () => {
  await broker.close();
});
const nextConnection = (): Promise<HostileConnection> =>
  new Promise((resolve) => waiting.push(resolve));

const gc = (globalThis as { gc?: () => void }).gc;

async function settledHeap(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    await sleep(20);
    gc?.();
  }
  return process.memoryUsage().heapUsed;
}

/** Active timers and sockets of this process, by kind. */
function handles(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) out[kind] = (out[kind] ?? 0) + 1;
  return out;
}

function matches(kase: HostileCase, o: CaseOutcome): boolean {
  if (o.errors.length > 0 || o.state !== 'closed') return false;
  if ('staysUp' in kase.expect) return o.stateBeforeEnd === 'connected';
  const want = kase.expect;
  const disconnects = o.sent.filter((f) => f.name === 'disconnect').map((f) => f.body[0]);
  return (
    o.endReason?.type === want.close.type &&
    (want.close.reasonCode === undefined ||
      (o.endReason as { reasonCode?: number }).reasonCode === want.close.reasonCode) &&
    o.connectRejected === want.connectRejects &&
    JSON.stringify(disconnects) ===
      JSON.stringify(want.disconnect === null ? [] : [want.disconnect])
  );
}

describe('scenario 6 (soak): 1,000 runs per hostile family, bounded heap, no leaked handles', () => {
  const families = new Map<string, HostileCase[]>();
  for (const c of hostileCases()) families.set(c.family, [...(families.get(c.family) ?? []), c]);

  it('has gc exposed (run through vitest.reliability.config.ts)', () => {
    expect(typeof gc).toBe('function');
  });

  for (const [family, members] of families) {
    it(`${family}: ${RUNS} runs over ${members.length} cases`, async () => {
      const baseHandles = handles();
      let heapAfterWarmup = 0;
      let mismatches = 0;
      let runs = 0;
      for (let batch = 0; runs < RUNS; batch++) {
        // One member per batch, so connections and clients pair up whatever the accept order.
        const kase = members[batch % members.length] as HostileCase;
        waiting = [];
        const outcomes = await Promise.all(
          Array.from({ length: BATCH }, () => runCase(broker.url, kase, nextConnection)),
        );
        runs += BATCH;
        broker.forgetConnections();
        for (const o of outcomes) if (!matches(kase, o)) mismatches++;
        if (runs === 100) heapAfterWarmup = await settledHeap();
      }
      const heapAtEnd = await settledHeap();
      const growth = heapAtEnd - heapAfterWarmup;
      await sleep(50);
      const after = handles();
      console.log(
        `soak ${family}: ${runs} runs, ${mismatches} mismatches, heap ${(heapAfterWarmup / 1e6).toFixed(1)} -> ` +
          `${(heapAtEnd / 1e6).toFixed(1)} MB, handles ${JSON.stringify(after)}`,
      );
      expect(mismatches).toBe(0);
      expect(broker.scriptErrors).toEqual([]);
      expect(growth).toBeLessThanOrEqual(HEAP_BOUND_BYTES);
      // No client timer or socket outlives its run.
      expect(after.Timeout ?? 0).toBeLessThanOrEqual(baseHandles.Timeout ?? 0);
      expect(after.TCPSocketWrap ?? 0).toBeLessThanOrEqual(baseHandles.TCPSocketWrap ?? 0);
    });
  }
});
