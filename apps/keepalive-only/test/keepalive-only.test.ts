import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const BOUND_MS = 1500;
const TOLERANCE_MS = 300;

function run(): Promise<{ code: number | null; stdout: string; stderr: string; wallMs: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [main],
      { timeout: 20_000 },
      (error, stdout, stderr) => {
        resolve({
          code: error ? (child.exitCode ?? 1) : 0,
          stdout,
          stderr,
          wallMs: performance.now() - started,
        });
      },
    );
  });
}

// Runs the built example the way its README says, against the built @mqttkit/keepalive.
describe('keepalive-only example', () => {
  it('is built', () => {
    expect(existsSync(main), 'run `pnpm build` first').toBe(true);
  });

  it('keeps the link alive, then declares the blackholed link dead within the bound', async () => {
    const { code, stdout, stderr, wallMs } = await run();
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(wallMs).toBeLessThan(10_000);
    expect(stdout).toMatch(/PINGRESP #1, round trip [\d.]+ ms/);
    expect(stdout).toMatch(/PINGRESP #2, round trip [\d.]+ ms/);
    expect(stdout).toMatch(/BLACKHOLE/);
    expect(stdout).toMatch(/PINGREQ #3 sent \(into the black hole\)/);
    const detected = /link declared DEAD ([\d.]+) ms after the last packet received/.exec(stdout);
    expect(detected, stdout).not.toBeNull();
    const silence = Number(detected?.[1]);
    expect(silence).toBeGreaterThanOrEqual(BOUND_MS);
    expect(silence).toBeLessThanOrEqual(BOUND_MS + TOLERANCE_MS);
    expect(stdout).toMatch(/socket still open when detected: yes/);
    expect(stdout).toMatch(/pings sent 3, pongs received 2/);
    // The order of events on the timeline: two healthy pongs, blackhole, unanswered ping, dead.
    const order = ['PINGRESP #2', 'BLACKHOLE', 'PINGREQ #3', 'DEAD'].map((s) => stdout.indexOf(s));
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  }, 25_000);
});
