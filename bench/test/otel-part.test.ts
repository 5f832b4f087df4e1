/**
 * `pnpm bench --quick --only otel` against a real mosquitto: the otel part runs each 64 B publish
 * case with no instrumentation and instrumented (sampler off), every message counted, the second
 * compared with the first. It asserts nothing about speed.
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hasMosquitto } from '@mqttkit/testkit';
import { describe, expect, it } from 'vitest';

const benchDir = join(dirname(fileURLToPath(import.meta.url)), '..');

function runOtelPart(): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/index.ts', '--quick', '--only', 'otel'],
      {
        cwd: benchDir,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, TSX_TSCONFIG_PATH: join(benchDir, 'tsconfig.run.json') },
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

describe.skipIf(!hasMosquitto)('pnpm bench --quick --only otel', () => {
  it('measures each 64 B case instrumented against no instrumentation', async () => {
    const { code, out, err } = await runOtelPart();
    expect(err).not.toMatch(/lost messages|Error/);
    expect(code, err).toBe(0);
    const rows = out
      .split('\n')
      .filter((l) => l.startsWith('| publish'))
      .map((l) =>
        l
          .split('|')
          .slice(1, -1)
          .map((c) => c.trim()),
      );
    for (const c of ['QoS 0, 64 B', 'QoS 1, 64 B', 'QoS 2, 64 B']) {
      const mine = rows.filter((r) => r[0]?.startsWith(`publish ${c} (`));
      expect(mine.map((r) => r[1]).sort(), c).toEqual([
        'no instrumentation',
        'otel, sampler records nothing',
      ]);
      for (const r of mine) expect(Number((r[2] ?? '').replace(/[^0-9.]/g, ''))).toBeGreaterThan(0);
      expect(mine.find((r) => r[1] !== 'no instrumentation')?.[3], c).toMatch(/^[\d.]+x$/);
    }
  }, 45_000);
});
