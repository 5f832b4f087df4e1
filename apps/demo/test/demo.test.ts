import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createClient } from '@mqttkit/client';
import { beforeAll, describe, expect, it } from 'vitest';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  elapsedMs: number;
}

function plainEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NO_COLOR;
  return env;
}

function run(): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [main],
      { timeout: 60_000, env: plainEnv() },
      (error, stdout, stderr) => {
        const code = error ? (child.exitCode ?? 1) : 0;
        resolve({ code, stdout, stderr, elapsedMs: Date.now() - started });
      },
    );
  });
}

// `--stay` keeps the broker up for the browser dashboard until Ctrl-C. Started alongside the
// plain run, so the two take the time of one.
interface StayRun {
  code: number | null;
  stdout: string;
  reading: string;
}

async function runStay(): Promise<StayRun> {
  const child = spawn(process.execPath, [main, '--stay', '--ws-port=0'], { env: plainEnv() });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const killer = setTimeout(() => child.kill('SIGKILL'), 55_000);
  const until = async (pattern: RegExp): Promise<RegExpExecArray> => {
    const deadline = Date.now() + 45_000;
    for (;;) {
      const match = pattern.exec(stdout);
      if (match) return match;
      if (Date.now() > deadline || child.exitCode !== null) {
        throw new Error(`no ${pattern} in:\n${stdout}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  try {
    const [, wsUrl] = await until(/the broker stays up on (ws:\/\/127\.0\.0\.1:\d+\/mqtt)/);
    const page = createClient({ url: wsUrl as string, protocolVersion: 4 });
    await page.connect({ signal: AbortSignal.timeout(5000) });
    const reading = new Promise<string>((resolve) => {
      page.on('message', (m) => resolve(new TextDecoder().decode(m.payload)));
    });
    await page.subscribe('sensors/temperature', { qos: 0 });
    const first = await reading;
    await page.publish('dashboard/hello', 'from a browser', { qos: 1 });
    await until(/dashboard\/hello = from a browser \(QoS 1\)/);
    await page.end();
    child.kill('SIGINT');
    return { code: await exited, stdout, reading: first };
  } finally {
    clearTimeout(killer);
    child.kill('SIGKILL');
  }
}

// Runs the built demo the way the README's quick start does, once, and checks what it printed.
describe('demo', () => {
  let result: Run;
  let stayed: Promise<StayRun>;

  beforeAll(async () => {
    if (!existsSync(main)) {
      throw new Error(`${main} is missing: run \`pnpm build\` first (the root \`pnpm test\` does)`);
    }
    stayed = runStay();
    stayed.catch(() => {}); // awaited by its test; no unhandled rejection meanwhile
    result = await run();
  }, 65_000);

  it('ends by itself in well under a minute with exit code 0', () => {
    expect(result.stderr).toBe('');
    expect(result.code, result.stdout).toBe(0);
    expect(result.elapsedMs).toBeLessThan(45_000);
  });

  it('prints a summary where every message arrived', () => {
    const summary = /sent (\d+), received (\d+), lost (\d+)/.exec(result.stdout);
    expect(summary, result.stdout).not.toBeNull();
    const [, sent, received, lost] = summary as RegExpExecArray;
    expect(Number(lost)).toBe(0);
    expect(Number(received)).toBe(Number(sent));
    // 30 readings from the TCP sensors, plus the field sensor's before, during and after the outage.
    expect(Number(sent)).toBeGreaterThan(30);
    expect(result.stdout).not.toMatch(/FAIL/);
  });

  it('moves QoS 0, 1 and 2 over TCP and WebSocket', () => {
    expect(result.stdout).toMatch(/subscribed to sensors\/# \(granted QoS 2\)/);
    expect(result.stdout).toMatch(/sensors\/temperature = [\d.]+°C #\d+ \(QoS 0\)/);
    expect(result.stdout).toMatch(/sensors\/humidity = [\d.]+% #\d+ \(QoS 1\)/);
    expect(result.stdout).toMatch(/sensors\/pressure = [\d.]+hPa #\d+ \(QoS 2\)/);
  });

  it('shows the packet-size refusal with its typed reason', () => {
    expect(result.stdout).toMatch(/close reason protocol-violation 0x95 \(Packet too large/);
  });

  it('detects the blackholed link by keepalive within the documented bound', () => {
    expect(result.stdout).toMatch(/PINGRESP received, RTT [\d.]+ ms/);
    expect(result.stdout).toMatch(
      /close: keepalive-timeout, initiator network, willReconnect true/,
    );
    const detected = /dead link detected ([\d.]+) s after the last packet/.exec(result.stdout);
    expect(detected, result.stdout).not.toBeNull();
    const silentS = Number((detected as RegExpExecArray)[1]);
    // keepalive 2 s + ping timeout 1 s; a little slack for timers firing late on a busy machine.
    expect(silentS).toBeGreaterThanOrEqual(2);
    expect(silentS).toBeLessThanOrEqual(3.25);
  });

  it('reports each failed reconnect attempt with its reason, then reconnects', () => {
    expect(result.stdout).toMatch(/reconnect attempt 1 failed: connect-timeout/);
    expect(result.stdout).toMatch(/reconnect attempt 2 failed: connect-timeout/);
    expect(result.stdout).toMatch(/link restored; the sensor holds \d+ in flight and \d+ queued/);
    expect(result.stdout).toMatch(/reconnected on attempt 3 \(session present: true\)/);
    expect(result.stdout).toMatch(/(\d+) of \1 QoS 1 publishes acknowledged/);
  });

  it('prints plain text when stdout is not a TTY', () => {
    expect(result.stdout.includes(String.fromCharCode(27))).toBe(false);
  });
  it('--stay keeps serving WebSocket clients after the summary and stops on SIGINT', async () => {
    const { code, stdout, reading } = await stayed;
    expect(stdout).toMatch(/lost 0/);
    expect(reading).toMatch(/^[\d.]+°C$/);
    expect(stdout).toMatch(/stopping/);
    expect(code).toBe(0);
  }, 60_000);
});
