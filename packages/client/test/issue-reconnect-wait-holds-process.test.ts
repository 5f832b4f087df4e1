import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Found by the CLI's tests: the reconnect timer was unref'd like a keepalive timer, so a process
// whose only work was a reconnecting client exited in the middle of the backoff wait.
const child = fileURLToPath(new URL('./fixtures/reconnect-wait-child.ts', import.meta.url));
const tsx = createRequire(import.meta.url).resolve('tsx');

describe('a reconnecting client keeps its process alive', () => {
  it('runs every attempt through the backoff waits, then lets the process exit', async () => {
    const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>(
      (resolve) => {
        const proc = execFile(
          process.execPath,
          ['--import', tsx, child],
          { timeout: 15_000 },
          (_error, out) => resolve({ code: proc.exitCode, stdout: out }),
        );
      },
    );
    expect(stdout.trim().split('\n')).toEqual([
      'close transport-error willReconnect=true',
      'close transport-error willReconnect=true',
      'close transport-error willReconnect=true',
      'close transport-error willReconnect=false',
      'end transport-error',
      'connect rejected MQTTKIT_ERR_CONNECT_FAILED',
    ]);
    // Exits by itself once the client has ended: nothing else holds it.
    expect(code).toBe(0);
  });
});
