// The README's command, run as a user runs it (the built app, its own mosquitto): 2,000
// messages, one worker SIGKILLed halfway and restarted in its slot, a graceful stop, the audit.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { hasMosquitto } from '@mqttkit/testkit';
import { describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

/** Runs the built program to its end; `code` is its exit code (non-zero: `error.code`). */
function runMain(args: string[]): Promise<{ code: unknown; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [MAIN, ...args], { maxBuffer: 16 * 2 ** 20 }, (error, out, err) =>
      resolve({ code: error ? error.code : 0, out, err }),
    );
  });
}

describe.skipIf(!hasMosquitto)('pnpm worker-pool', () => {
  it('processes every message across a SIGKILL and a graceful stop', async () => {
    const { code, out, err } = await runMain(['--count', '2000', '--workers', '3']);
    expect(code, `${out}\n${err}`).toBe(0);
    expect(out).toMatch(/sent 2000, processed 2000, lost 0/);
    // Slot 1 was killed, restarted in its slot, and resumed its session.
    const killed = /SIGKILL slot 1 \(pid (\d+)\)/.exec(out)?.[1];
    expect(killed).toBeDefined();
    expect(out).toContain(`slot 1: pid ${killed} exited (SIGKILL)`);
    expect(out).toMatch(/slot 1: pid \d+ started \(run 2\)/);
    expect(out).toMatch(/slot 1 +pid \d+ subscribed, session present: true/);
    // The graceful stop drained every worker, each exiting with code 0.
    expect(out.match(/drained: \d+ in hand finished and acked/g)).toHaveLength(3);
    expect(out.match(/exited \(code 0\)/g)).toHaveLength(3);
    expect(out).not.toContain('UNEXPLAINED');
  });
});
