// Scenario 4: the publisher process is SIGKILLed mid-stream and restarted with the same
// file-backed in-flight store (@mqttkit/store-file, fsync 'always'). Nothing whose publish()
// resolved is lost, and neither is anything the store held: the subscriber receives a gap-free
// prefix 0..K of the stream with K >= the last acknowledged seq, QoS 2 exactly once.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, type Message } from '@mqttkit/client';
import { hasMosquitto, type MosquittoHandle, startMosquitto } from '@mqttkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { text, uid, until } from '../test/helpers.js';

const SCRIPT = fileURLToPath(new URL('./crash-publisher.ts', import.meta.url));
const COUNT = 20_000;

let broker: MosquittoHandle | undefined;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mqttkit-crash-'));
  if (hasMosquitto) broker = await startMosquitto();
});
afterAll(async () => {
  await broker?.close();
  await rm(dir, { recursive: true, force: true });
});

interface Child {
  proc: ChildProcess;
  lines: string[];
  exited: Promise<{ code: number | null; signal: string | null }>;
  stderr: () => string;
}

function launch(args: string[]): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', SCRIPT, ...args], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let partial = '';
  proc.stdout?.on('data', (d: Buffer) => {
    const parts = (partial + d.toString()).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
  });
  let err = '';
  proc.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    proc.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { proc, lines, exited, stderr: () => err };
}

describe.skipIf(!hasMosquitto)('scenario 4: crash persistence with a file store', () => {
  // Three independent crashes: the window in which a crash does damage is narrow (the QoS 2
  // duplicate fixed in the client showed up in about one run in three).
  it.each([1, 2, 3])(
    'crash %i: SIGKILL mid-stream, restart with the same store: nothing lost',
    async () => {
      const b = broker as MosquittoHandle;
      const id = uid();
      const topic = `crash/${id}`;
      const storePath = join(dir, `${id}.log`);
      const clientId = `crash-pub-${id}`;

      // A persistent subscriber session, so nothing the broker accepted is dropped on our side.
      const sub = createClient({
        url: b.url,
        protocolVersion: 5,
        clientId: `crash-sub-${id}`,
        clean: false,
        sessionExpiryInterval: 600,
      });
      const got: Array<{ seq: number; qos: number }> = [];
      sub.on('message', (m: Message) => got.push({ seq: Number(text(m.payload)), qos: m.qos }));
      await sub.connect();
      await sub.subscribe(`${topic}/#`, { qos: 2 });

      const first = launch(['run', b.url, storePath, clientId, topic, String(COUNT)]);
      try {
        // Kill at a random point after at least 2,000 acknowledgements, well before the end.
        const killAfter = 2000 + Math.floor(Math.random() * 6000);
        await until(
          () => first.lines.filter((l) => l.startsWith('ack ')).length >= killAfter,
          60_000,
          `${killAfter} acks (stderr: ${first.stderr()})`,
        );
        first.proc.kill('SIGKILL');
        const exit = await first.exited;
        expect(exit.signal).toBe('SIGKILL');
        expect(first.lines).not.toContain('done');
        const acked = first.lines
          .filter((l) => l.startsWith('ack '))
          .map((l) => Number(l.slice(4)));
        const maxAcked = Math.max(...acked);

        const second = launch(['resume', b.url, storePath, clientId]);
        const exit2 = await second.exited;
        expect(exit2.code, second.stderr()).toBe(0);
        const restored = Number(second.lines.find((l) => l.startsWith('restored '))?.slice(9));
        expect(second.lines).toContain('drained');
        // 50 publishes were in flight when the process died; the store held them.
        expect(restored).toBeGreaterThan(0);
        expect(restored).toBeLessThanOrEqual(50);

        // The broker has everything (the store drained); wait until its deliveries stop (mosquitto
        // may send a few out of order, see no-loss.test.ts), then check what arrived.
        let quietSince = performance.now();
        let lastCount = -1;
        await until(
          () => {
            if (got.length !== lastCount) {
              lastCount = got.length;
              quietSince = performance.now();
            }
            return performance.now() - quietSince > 500;
          },
          30_000,
          'deliveries to settle',
        );
        const seen = new Set(got.map((g) => g.seq));
        // Received: a gap-free prefix covering every acknowledged seq.
        expect(Math.max(...seen)).toBeGreaterThanOrEqual(maxAcked);
        expect(seen.size).toBe(Math.max(...seen) + 1);
        for (const seq of acked) expect(seen.has(seq)).toBe(true);
        // QoS 2: exactly once, across the crash.
        const q2 = got.filter((g) => g.seq % 2 === 1).map((g) => g.seq);
        expect(new Set(q2).size).toBe(q2.length);
        for (const g of got) expect(g.qos).toBe(g.seq % 2 === 1 ? 2 : 1);
        const duplicatesQ1 = got.length - seen.size;
        console.log(
          `crash: killed after ${acked.length} acks (max ${maxAcked}); store held ${restored}; ` +
            `received 0..${Math.max(...seen)} gap-free, ${duplicatesQ1} QoS 1 duplicates`,
        );
      } finally {
        first.proc.kill('SIGKILL');
        await sub.end({ force: true });
      }
    },
  );
});
