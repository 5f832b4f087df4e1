import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));

function run(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [main],
      { timeout: 60_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (child.exitCode ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

// Runs the built demo the way the README's quick start does.
describe('demo', () => {
  it('is built', () => {
    expect(existsSync(main), 'run `pnpm build` first (pnpm test does)').toBe(true);
  });

  it('moves every message through the broker and exits 0', async () => {
    const { code, stdout, stderr } = await run();
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/sent 30, received 30, lost 0/);
    expect(stdout).toMatch(/sensors\/pressure = [\d.]+hPa \(QoS 2\)/);
    expect(stdout).toMatch(/MQTTKIT_ERR_PACKET_TOO_LARGE \(MQTT 5 reason 0x95\)/);
    // Plain text when not a TTY: no ANSI escapes in logs.
    expect(stdout.includes(String.fromCharCode(27))).toBe(false);
  }, 60_000);
});
