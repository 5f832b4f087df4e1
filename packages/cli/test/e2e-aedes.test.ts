/** The built binary against an in-process aedes (MQTT 3.1.1): pub -> sub, sources, flags, exits. */
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AedesHandle, startAedes } from '@mqttkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, cli, runCli, subscribed, uniqueTopic } from './helpers.js';

let broker: AedesHandle;
let at: string[];

beforeAll(async () => {
  assertBuilt();
  broker = await startAedes({ ws: true });
  at = ['-h', '127.0.0.1', '-p', String(broker.port)];
});
afterAll(async () => {
  await broker?.close();
});

describe.concurrent('mqttkit pub | mqttkit sub (aedes)', () => {
  it.each([0, 1, 2])('delivers at QoS %d, -v prints "topic payload"', async (qos) => {
    const topic = uniqueTopic(`qos${qos}`);
    const sub = await subscribed(['sub', ...at, '-t', topic, '-q', String(qos), '-v', '-C', '1']);
    const pub = await runCli(['pub', ...at, '-t', topic, '-m', `hello ${qos}`, '-q', String(qos)]);
    expect(pub).toMatchObject({ code: 0, stdout: '' });
    const result = await sub.done;
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${topic} hello ${qos}\n`);
  });

  it('-l publishes each stdin line, in order; -N and -F shape the output', async () => {
    const topic = uniqueTopic('lines');
    const sub = await subscribed([
      'sub',
      ...at,
      '-t',
      topic,
      '-q',
      '1',
      '-C',
      '4',
      '-F',
      '[%p]',
      '-N',
    ]);
    const pub = await runCli(['pub', ...at, '-t', topic, '-q', '1', '-l'], {
      input: 'one\ntwo\r\n\nlast',
    });
    expect(pub.code).toBe(0);
    expect((await sub.done).stdout).toBe('[one][two][][last]');
  });

  it('-f sends the file bytes, -s all of stdin, -n an empty message', async () => {
    const topic = uniqueTopic('sources');
    const file = join(tmpdir(), `mqttkit-cli-${process.pid}.bin`);
    await writeFile(file, Buffer.from([0x00, 0xff, 0x0a, 0x41]));
    const sub = await subscribed(['sub', ...at, '-t', topic, '-q', '1', '-C', '3', '-F', '%l:%x']);
    expect((await runCli(['pub', ...at, '-t', topic, '-q', '1', '-f', file])).code).toBe(0);
    expect(
      (await runCli(['pub', ...at, '-t', topic, '-q', '1', '-s'], { input: 'a\nb\n' })).code,
    ).toBe(0);
    expect((await runCli(['pub', ...at, '-t', topic, '-q', '1', '-n'])).code).toBe(0);
    expect((await sub.done).stdout).toBe('4:00ff0a41\n4:610a620a\n0:\n');
  });

  it('subscribes to several -t filters and prints raw payload bytes', async () => {
    const [a, b] = [uniqueTopic('multi-a'), uniqueTopic('multi-b')];
    const sub = await subscribed([
      'sub',
      ...at,
      '-t',
      a,
      '-t',
      `${b}/#`,
      '-C',
      '2',
      '-q',
      '1',
      '-F',
      '%t=%p',
    ]);
    await runCli(['pub', ...at, '-t', a, '-m', 'A', '-q', '1']);
    await runCli(['pub', ...at, '-t', `${b}/x`, '-m', 'B', '-q', '1']);
    expect((await sub.done).stdout).toBe(`${a}=A\n${b}/x=B\n`);
  });

  it('retained: -r is kept by the broker, %r shows it, -R skips it', async () => {
    const topic = uniqueTopic('retained');
    expect((await runCli(['pub', ...at, '-t', topic, '-m', 'kept', '-r', '-q', '1'])).code).toBe(0);
    const seen = await runCli(['sub', ...at, '-t', topic, '-C', '1', '-F', '%r %p']);
    expect(seen).toMatchObject({ code: 0, stdout: '1 kept\n' });
    const skipped = await runCli(['sub', ...at, '-t', topic, '-R', '-W', '0.5']);
    expect(skipped).toMatchObject({ code: 27, stdout: '' });
    await runCli(['pub', ...at, '-t', topic, '-n', '-r']); // clears it
  });

  it('-L URL: the path is the topic; ws:// reaches the WebSocket listener', async () => {
    const topic = uniqueTopic('url');
    const ws = `ws://127.0.0.1:${broker.wsPort}/${topic}`;
    const sub = await subscribed(['sub', '-L', ws, '-C', '1', '-q', '1']);
    const pub = await runCli([
      'pub',
      '-L',
      `mqtt://127.0.0.1:${broker.port}/${topic}`,
      '-m',
      'via url',
      '-q',
      '1',
    ]);
    expect(pub.code).toBe(0);
    expect((await sub.done).stdout).toBe('via url\n');
  });

  it('-E exits 0 once subscribed; -W exits 27 when time runs out', async () => {
    expect((await runCli(['sub', ...at, '-t', 'x', '-E'])).code).toBe(0);
    const started = Date.now();
    const timedOut = await runCli(['sub', ...at, '-t', 'x', '-W', '0.6']);
    expect(timedOut.code).toBe(27);
    expect(timedOut.stderr).toMatch(/Timed out after 0.6 s/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(600);
  });

  it('-C waits for the count before exiting', async () => {
    const topic = uniqueTopic('count');
    const sub = await subscribed(['sub', ...at, '-t', topic, '-C', '2']);
    await runCli(['pub', ...at, '-t', topic, '-m', '1']);
    // One message only: the subscriber must still be running.
    await new Promise((r) => setTimeout(r, 300));
    expect(sub.proc.exitCode).toBeNull();
    await runCli(['pub', ...at, '-t', topic, '-m', '2']);
    expect((await sub.done).stdout).toBe('1\n2\n');
  });

  it('the Will is published when the subscriber dies without DISCONNECT', async () => {
    const willTopic = uniqueTopic('will');
    const watcher = await subscribed(['sub', ...at, '-t', willTopic, '-C', '1', '-v']);
    const victim = await subscribed([
      'sub',
      ...at,
      '-t',
      'x',
      '--will-topic',
      willTopic,
      '--will-payload',
      'gone',
      '--will-qos',
      '1',
    ]);
    victim.proc.kill('SIGKILL');
    expect((await watcher.done).stdout).toBe(`${willTopic} gone\n`);
    await victim.done;
  });

  it('Ctrl-C (SIGINT) ends sub cleanly with exit code 0', async () => {
    const sub = await subscribed(['sub', ...at, '-t', 'x']);
    sub.proc.kill('SIGINT');
    const result = await sub.done;
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/sent DISCONNECT/);
  });

  it('-d shows state changes and packets, never the password', async () => {
    const result = await runCli([
      'pub',
      ...at,
      '-t',
      'x',
      '-m',
      'y',
      '-q',
      '1',
      '-u',
      'alice',
      '-P',
      's3cr3t-pw',
      '-d',
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/state idle -> connecting/);
    expect(result.stderr).toMatch(/sent CONNECT .*username=alice/);
    expect(result.stderr).toMatch(/received PUBACK packetId=1/);
    expect(result.stderr).not.toContain('s3cr3t-pw');
  });
});

describe('failures and usage (aedes)', () => {
  it('connection refused: exit 1 and the reason', async () => {
    // Port 1 on loopback: nothing listens there.
    const result = await runCli(['pub', '-h', '127.0.0.1', '-p', '1', '-t', 'x', '-m', 'y']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Connection to mqtt:\/\/127\.0\.0\.1:1 failed: .*ECONNREFUSED/);
  });

  it('sub also fails fast instead of retrying when the first connection fails', async () => {
    const result = await runCli(['sub', '-h', '127.0.0.1', '-p', '1', '-t', 'x'], {
      timeoutMs: 5000,
    });
    expect(result.code).toBe(1);
  });

  it('an unreadable -f file: exit 1 before connecting', async () => {
    const result = await runCli([
      'pub',
      '-h',
      '127.0.0.1',
      '-p',
      '1',
      '-t',
      'x',
      '-f',
      '/nonexistent/file',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/-f \/nonexistent\/file: cannot read it/);
  });

  it('usage errors exit 2 with a hint, on stderr only', async () => {
    const result = await runCli(['sub', '-t', 'x', '--bogus']);
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toBe(
      'mqttkit: Unknown option --bogus for sub\nRun mqttkit sub --help for the options.\n',
    );
    expect((await runCli([])).code).toBe(2);
    expect((await runCli(['pub', '-t', 'x', '-m', 'y', '-q', '5'])).code).toBe(2);
  });

  it('--help and --version exit 0 on stdout', async () => {
    const help = await runCli(['sub', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/-C, --count n/);
    expect(help.stdout).toMatch(/%x \/ %X/);
    const version = await runCli(['--version']);
    expect(version).toMatchObject({ code: 0 });
    expect(version.stdout).toMatch(/^mqttkit \d+\.\d+\.\d+\n$/);
  });

  it('the binary is executable and starts with a shebang', async () => {
    const { statSync, readFileSync } = await import('node:fs');
    const { BIN } = await import('./helpers.js');
    expect(statSync(BIN).mode & 0o111).not.toBe(0);
    expect(readFileSync(BIN, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    const direct = await new Promise<number | null>((resolve) => {
      const running = cli(['--version']);
      running.done.then(
        (r) => resolve(r.code),
        () => resolve(null),
      );
    });
    expect(direct).toBe(0);
  });
});
