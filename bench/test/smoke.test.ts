/**
 * `pnpm bench --quick` as CI runs it: every case with tiny sizes, against a real mosquitto (and
 * the client-bound part against the bench's own peer process).
 * It asserts nothing about speed, only that each case ran to the end: every message counted
 * at its subscriber (a lost one fails the run), every client and child process exited cleanly,
 * and every row has a finite, positive value where one must exist.
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hasMosquitto } from '@mqttkit/testkit';
import { describe, expect, it } from 'vitest';

const benchDir = join(dirname(fileURLToPath(import.meta.url)), '..');

function runQuick(): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts', '--quick'], {
      cwd: benchDir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, TSX_TSCONFIG_PATH: join(benchDir, 'tsconfig.run.json') },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 50_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

/** The publish (and client-bound receive) cases by QoS and payload size, as the table names them. */
const QOS_SIZES = [
  'QoS 0, 64 B',
  'QoS 0, 16 KiB',
  'QoS 1, 64 B',
  'QoS 1, 16 KiB',
  'QoS 2, 64 B',
  'QoS 2, 16 KiB',
];

/** Table rows as [case, client, median] cells. */
function rows(out: string): string[][] {
  return out
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('| case'))
    .map((l) =>
      l
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim()),
    );
}

describe.skipIf(!hasMosquitto)('pnpm bench --quick (smoke)', () => {
  it('runs every case to the end with no lost message and a value for each row', async () => {
    const { code, out, err } = await runQuick();
    expect(err).not.toMatch(/lost messages|Error/);
    expect(code, err).toBe(0);
    const table = rows(out);
    const cases = new Set(table.map((r) => r[0]));
    for (const want of [
      /^publish QoS 0, 64 B/,
      /^publish QoS 0, 16 KiB/,
      /^publish QoS 1, 64 B/,
      /^publish QoS 1, 16 KiB/,
      /^publish QoS 2, 64 B/,
      /^publish QoS 2, 16 KiB/,
      /^receive retained backlog/,
      /^receive from raw publisher/,
      /request\/response .* p50$/,
      /request\/response .* p99$/,
      /^connect until CONNACK/,
      /^heap \(heapUsed\) per idle client/,
      /^ArrayBuffers per idle client/,
      /^RSS per idle client/,
      /CPU per minute$/,
      /timers held$/,
      /PINGREQs sent$/,
      /^worker pool, QoS 1 via \$share/,
    ]) {
      expect(
        [...cases].some((c) => want.test(c as string)),
        String(want),
      ).toBe(true);
    }
    // Rates, latencies and heap must be measured numbers (RSS deltas of a small sample may be 0,
    // and so may the raw floor's heap allocated per message: it makes nothing per frame, so a
    // quick run's few KB of allocations round to 0 B per message; a CI run saw exactly that).
    for (const [name, client, value] of table) {
      if (/RSS|ArrayBuffers|timers held|PINGREQs/.test(name as string)) continue;
      const text = (value ?? '').replace(/[^0-9.]/g, '');
      expect(text, `${name} / ${client}: ${value}`).not.toBe('');
      const n = Number(text);
      if (client === 'raw' && /heap allocated per message/.test(name as string)) {
        expect(n, `${name} / ${client}: ${value}`).toBeGreaterThanOrEqual(0);
      } else expect(n, `${name} / ${client}: ${value}`).toBeGreaterThan(0);
    }
    // Every publish case is compared with the raw ceiling, in the same run.
    for (const c of QOS_SIZES) {
      expect(
        table.some((r) => r[0]?.startsWith(`publish ${c} (`) && r[1] === 'raw'),
        `raw row for ${c}`,
      ).toBe(true);
      const mqttkitRow = table.find(
        (r) => r[0]?.startsWith(`publish ${c} (`) && r[1] === 'mqttkit',
      );
      expect(mqttkitRow?.[4], `vs raw for ${c}`).toMatch(/^\d+ %$/);
    }
    // The logger part: each 64 B publish case with no logger and with pino at `info`, the
    // second compared with the first.
    for (const c of ['QoS 0, 64 B', 'QoS 1, 64 B', 'QoS 2, 64 B']) {
      const mine = table.filter(
        (r) =>
          r[0]?.startsWith(`publish ${c} (`) && r[0].endsWith('client CPU per message (pub + sub)'),
      );
      expect(mine.map((r) => r[1]).sort(), `logger rows for ${c}`).toEqual([
        'no logger',
        'pino at info',
      ]);
      expect(mine.find((r) => r[1] === 'pino at info')?.[3], `vs no logger for ${c}`).toMatch(
        /^[\d.]+x$/,
      );
    }
    // The client-bound part: every case against the bench's own peer, with the raw floor, CPU and
    // heap allocated per message and the peer's CPU share, and its targets printed.
    for (const direction of ['publish', 'receive']) {
      for (const c of QOS_SIZES) {
        const label = `${direction} ${c}`;
        for (const client of ['mqttkit', 'MQTT.js', 'raw']) {
          for (const what of [': client CPU per message', ': heap allocated per message'])
            expect(
              table.some((r) => r[0] === `${label}${what}` && r[1] === client),
              `${label}${what} ${client}`,
            ).toBe(true);
        }
        const mqttkitRow = table.find((r) => r[0]?.startsWith(`${label} (`) && r[1] === 'mqttkit');
        expect(mqttkitRow?.[4], `client-bound vs raw for ${label}`).toMatch(/^\d+ %$/);
        expect(
          table.some((r) => r[0] === `${label}: peer CPU, share of one core`),
          `peer CPU ${label}`,
        ).toBe(true);
        expect(out).toMatch(new RegExp(`\\| ${label} \\| [\\d.]+x (met|MISSED) \\|`));
      }
    }
    // Every idle client pinged within the window (keepalive 1 s, 2.5 s window, 50 clients).
    for (const r of table.filter((t) => /PINGREQs sent$/.test(t[0] as string))) {
      expect(Number((r[2] ?? '').replace(/[^0-9]/g, '')), r.join(' ')).toBeGreaterThanOrEqual(50);
    }
  }, 55_000);
});
