// Issue 21: a consumer group on a shared subscription survives crashes. apps/worker-pool's
// supervisor runs 4 worker processes on `$share/<group>/<prefix>/#` against mosquitto, each
// slot with a persistent session (clean start 0, session expiry), `ackAfterHandler` and a
// Receive Maximum of 16. A separate publisher process sends 50,000 numbered QoS 1 messages.
// While they are processed, workers are SIGKILLed 5 times at seeded random moments (the seed is
// printed; WORKER_POOL_SEED=<n> replays it) and one is drained with SIGTERM. The supervisor
// restarts each in its slot.
//
// Then, from the workers' ledgers (a line per processed message, written before its PUBACK):
// every message was processed at least once; each duplicate was first processed by a SIGKILLed
// process and processed again by the next process of the same slot, delivered with DUP (mosquitto
// keeps a member's in-flight QoS 1 messages with its session, mosquitto #2662); the duplicates of
// a kill are the last messages that process handled (their PUBACKs never reached the broker,
// which took them in arrival order [MQTT-4.6.0-2]); none from the drained process.
//
// The number per kill is not bounded by the Receive Maximum: mosquitto 2.0.11 sends far more
// unacknowledged messages than a client's Receive Maximum while acks flow (measured: 238-868
// with 16), so a worker may hold hundreds when it dies. Each ledger line records how many the
// worker held, and that bounds how far back a duplicate may lie.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hasMosquitto, type MosquittoHandle, startMosquitto } from '@mqttkit/testkit';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type LedgerRecord,
  LedgerTail,
  readLedgers,
} from '../../../apps/worker-pool/src/ledger.js';
import { uid, until } from '../test/helpers.js';

const APP = fileURLToPath(new URL('../../../apps/worker-pool/dist/', import.meta.url));
const COUNT = 50_000;
const WORKERS = 4;
const RECEIVE_MAXIMUM = 16;
const KILLS = 5;
// Each handler waits this long (an I/O-bound handler), so a worker holds messages when it is
// killed or drained.
const WORK_MS = 5;
// A SIGTERM can land in a moment when its process holds nothing (its share of the stream is
// momentarily empty while the broker feeds a resumed session elsewhere), and such a drain
// proves nothing. The test then drains another process, after more of the stream has passed,
// up to this many drains in all.
const DRAINS_AT_MOST = 4;

interface Incarnation {
  slot: number;
  pid: number;
  ready: boolean;
  sessionPresent?: boolean;
  exit?: { code: number | null; signal: string | null };
  drained?: { inHand: number; declined: number };
}

function node(script: string, args: string[]): { proc: ChildProcess; stderr: () => string } {
  const proc = spawn(process.execPath, [join(APP, script), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  proc.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  return { proc, stderr: () => err };
}

let broker: MosquittoHandle | undefined;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mqttkit-pool-'));
  // Unbounded session queues: a slot's share waits for its next process instead of being
  // dropped at mosquitto's default of 1000 queued messages.
  if (hasMosquitto) broker = await startMosquitto({ extraConfig: ['max_queued_messages 0'] });
});
afterAll(async () => {
  await broker?.close();
  await rm(dir, { recursive: true, force: true });
});

describe.skipIf(!hasMosquitto)('consumer group on a shared subscription (issue 21)', () => {
  it('50,000 QoS 1 messages, 5 SIGKILLs and a drain: all processed, duplicates explained', async () => {
    if (!existsSync(join(APP, 'supervise.js'))) {
      throw new Error(`${APP} is not built: pnpm --filter @mqttkit/reliability... build`);
    }
    const b = broker as MosquittoHandle;
    const seed = Number(process.env.WORKER_POOL_SEED ?? Math.floor(Math.random() * 2 ** 31));
    const id = uid();
    const ledgerDir = join(dir, id);
    const common = ['--url', b.url, '--prefix', `pool/${id}`];

    // The plan: KILLS SIGKILLs and one SIGTERM, each when a seeded share of the stream has been
    // processed (between 5% and 85%), each aimed at a seeded slot (fast-check's seeded sampler).
    const [steps = []] = fc.sample(
      fc.array(
        fc.record({
          share: fc.double({ min: 0.05, max: 0.85, noNaN: true }),
          slot: fc.integer({ min: 0, max: WORKERS - 1 }),
        }),
        { minLength: KILLS + 1, maxLength: KILLS + 1 },
      ),
      { seed, numRuns: 1 },
    );
    const plan = steps.map((step, k) => ({
      signal: k < KILLS ? ('SIGKILL' as const) : ('SIGTERM' as const),
      at: Math.floor(COUNT * step.share),
      slot: step.slot,
    }));
    plan.sort((x, y) => x.at - y.at);
    console.log(
      `worker-pool crash test: seed ${seed} (WORKER_POOL_SEED=${seed} replays it); plan ` +
        plan.map((p) => `${p.signal}@${p.at}->slot ${p.slot}`).join(', '),
    );

    const incarnations = new Map<number, Incarnation>();
    const current = new Map<number, Incarnation>();
    const supervisor = node('supervise.js', [
      ...common,
      '--group',
      `g-${id}`,
      '--workers',
      String(WORKERS),
      '--receive-maximum',
      String(RECEIVE_MAXIMUM),
      '--work-ms',
      String(WORK_MS),
      '--ledger-dir',
      ledgerDir,
    ]);
    let partial = '';
    let out = '';
    supervisor.proc.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const lines = (partial + d.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        const event = JSON.parse(line) as { event: string } & Incarnation &
          Incarnation['exit'] &
          NonNullable<Incarnation['drained']>;
        if (event.event === 'started') {
          const run: Incarnation = { slot: event.slot, pid: event.pid, ready: false };
          incarnations.set(event.pid, run);
          current.set(event.slot, run);
          continue;
        }
        const run = incarnations.get(event.pid);
        if (!run) continue;
        if (event.event === 'ready') {
          run.ready = true;
          run.sessionPresent = event.sessionPresent;
        } else if (event.event === 'drained') {
          run.drained = { inHand: event.inHand, declined: event.declined };
        } else if (event.event === 'exited') {
          run.exit = { code: event.code, signal: event.signal };
        }
      }
    });
    const supervisorExit = new Promise<number | null>((resolve) =>
      supervisor.proc.once('exit', (code) => resolve(code)),
    );

    const started = performance.now();
    let publisher: ReturnType<typeof node> | undefined;
    try {
      await until(
        () => [...current.values()].filter((r) => r.ready).length === WORKERS,
        30_000,
        `${WORKERS} workers subscribed (exit ${supervisor.proc.exitCode}, stdout: ${out}, stderr: ${supervisor.stderr()})`,
      );
      publisher = node('publish.js', [...common, '--count', String(COUNT), '--inflight', '100']);
      const published = new Promise<number | null>((resolve) =>
        publisher?.proc.once('exit', (code) => resolve(code)),
      );

      const tail = new LedgerTail(ledgerDir);
      const killed = new Map<number, number>(); // pid -> processed count when killed
      const drainedPids: number[] = [];
      // The planned slot, or the next one whose process is up.
      const targetFrom = (slot: number) =>
        Array.from({ length: WORKERS }, (_, k) => current.get((slot + k) % WORKERS)).find(
          (r) => r?.ready && !r.exit && !killed.has(r.pid) && !drainedPids.includes(r.pid),
        );
      for (const step of plan) {
        await until(() => tail.poll() >= step.at, 90_000, `${step.at} messages processed`);
        // Kills close together can find every other process still restarting: wait for one.
        await until(() => targetFrom(step.slot) !== undefined, 30_000, 'a worker up to signal');
        const target = targetFrom(step.slot) as Incarnation;
        process.kill(target.pid, step.signal);
        if (step.signal === 'SIGKILL') {
          killed.set(target.pid, tail.ids.size);
          continue;
        }
        drainedPids.push(target.pid);
        await until(() => target.exit !== undefined, 30_000, `pid ${target.pid} drained`);
        // Drained with nothing in hand: drain another process once 1,000 more are processed,
        // while a fifth of the stream is still to come.
        let slot = step.slot;
        while (
          drainedPids.length < DRAINS_AT_MOST &&
          incarnations.get(drainedPids.at(-1) as number)?.drained?.inHand === 0 &&
          tail.poll() + 1_000 < COUNT * 0.8
        ) {
          const at = tail.ids.size + 1_000;
          await until(() => tail.poll() >= at, 90_000, `${at} messages processed`);
          slot = (slot + 1) % WORKERS;
          await until(() => targetFrom(slot) !== undefined, 30_000, 'a worker up to drain');
          const next = targetFrom(slot) as Incarnation;
          process.kill(next.pid, 'SIGTERM');
          drainedPids.push(next.pid);
          await until(() => next.exit !== undefined, 30_000, `pid ${next.pid} drained`);
        }
      }
      await until(() => tail.poll() >= COUNT, 90_000, `all ${COUNT} messages processed`);
      const seconds = (performance.now() - started) / 1000;
      expect(await published, publisher.stderr()).toBe(0);

      // A graceful stop of the whole pool: every worker drains.
      supervisor.proc.kill('SIGTERM');
      expect(await supervisorExit, supervisor.stderr()).toBe(0);

      expect(killed.size).toBeGreaterThanOrEqual(KILLS);
      const drains = drainedPids.map((pid) => incarnations.get(pid) as Incarnation);
      for (const run of drains) expect(run.exit).toEqual({ code: 0, signal: null });
      // A drain had work to finish: messages in hand, each processed once (checked below).
      const drained = drains.find((run) => (run.drained?.inHand ?? 0) > 0);
      expect(drained, `drains: ${JSON.stringify(drains.map((run) => run.drained))}`).toBeDefined();
      for (const pid of killed.keys()) {
        const run = incarnations.get(pid) as Incarnation;
        expect(run.exit?.signal).toBe('SIGKILL');
        // The supervisor started the slot again and the broker resumed its session.
        const later = [...incarnations.values()].filter((r) => r.slot === run.slot && r.pid > 0);
        expect(later.some((r) => r !== run && r.sessionPresent === true)).toBe(true);
      }

      // At least once: every numbered message has a ledger line.
      const records = readLedgers(ledgerDir);
      const byId = new Map<string, LedgerRecord[]>();
      for (const r of records) byId.set(r.id, [...(byId.get(r.id) ?? []), r]);
      const missing = Array.from({ length: COUNT }, (_, n) => String(n)).filter(
        (n) => !byId.has(n),
      );
      expect(missing.slice(0, 20), `${missing.length} missing`).toEqual([]);
      expect(byId.size).toBe(COUNT);

      // Each duplicate, explained: first processed by a SIGKILLed process, then by a later process
      // of the same slot, delivered with DUP.
      const duplicatesPerKill = new Map<number, number>();
      let duplicates = 0;
      for (const [msg, seen] of byId) {
        if (seen.length === 1) continue;
        const [first, ...again] = seen as [LedgerRecord, ...LedgerRecord[]];
        duplicates += again.length;
        expect(killed.has(first.pid), `duplicate ${msg}: ${JSON.stringify(seen)}`).toBe(true);
        for (const r of again) {
          expect(r.slot, `duplicate ${msg}: ${JSON.stringify(seen)}`).toBe(first.slot);
          expect(r.pid).not.toBe(first.pid);
          expect(r.dup, `duplicate ${msg} without DUP: ${JSON.stringify(seen)}`).toBe(true);
        }
        duplicatesPerKill.set(first.pid, (duplicatesPerKill.get(first.pid) ?? 0) + again.length);
      }
      // Only messages in hand at a kill: the duplicates of a killed process are the tail of its
      // ledger. Handlers take the same time, so they finish in arrival order; a duplicate lies no
      // further back than the duplicates after it plus the messages the process held.
      const heldAtMost = new Map<number, number>();
      for (const pid of killed.keys()) {
        heldAtMost.set(
          pid,
          Math.max(0, ...records.filter((r) => r.pid === pid).map((r) => r.inHand)),
        );
      }
      for (const [pid, n] of duplicatesPerKill) {
        const mine = records.filter((r) => r.pid === pid);
        const held = heldAtMost.get(pid) ?? 0;
        const tail = mine.length - (n + held);
        const early = mine.filter(
          (r, i) => i < tail && (byId.get(r.id)?.length ?? 0) > 1 && byId.get(r.id)?.[0] === r,
        );
        expect(
          early.map((r) => r.id),
          `pid ${pid}: ${n} duplicates, held up to ${held}`,
        ).toEqual([]);
      }
      // None after a graceful drain.
      for (const pid of drainedPids) expect(duplicatesPerKill.get(pid) ?? 0).toBe(0);
      const redelivered = records.filter((r) => r.dup).length;

      console.log(
        `worker-pool crash test: seed ${seed}; ${COUNT} processed in ${seconds.toFixed(1)} s ` +
          `(${Math.round(COUNT / seconds)}/s, 4 workers); ` +
          `SIGKILLs at ${[...killed.values()].join(', ')} processed; ` +
          `${duplicates} duplicates (${[...killed.keys()].map((p) => `${duplicatesPerKill.get(p) ?? 0} of up to ${heldAtMost.get(p)} held`).join(', ')} per kill), ` +
          `${redelivered} deliveries with DUP; ${drains.length} drain(s): ` +
          drains
            .map(
              (run) =>
                `${run.drained?.inHand} in hand finished, ${run.drained?.declined} left unacked`,
            )
            .join('; ') +
          ', 0 duplicates',
      );
    } finally {
      publisher?.proc.kill('SIGKILL');
      supervisor.proc.kill('SIGTERM');
      await supervisorExit;
    }
  });
});
