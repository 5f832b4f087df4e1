/**
 * The flags of issue 18 against a real mosquitto, each beside mosquitto's own clients doing the
 * same thing: where both print, the bytes are compared. Skipped locally without mosquitto and
 * its clients; under CI their absence fails.
 */
import { createServer } from 'node:net';
import {
  hasMosquitto,
  type MosquittoHandle,
  type ProxyHandle,
  startHttpProxy,
  startMosquitto,
  startSocksProxy,
} from '@mqttkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assertBuilt,
  hasMosquittoClients,
  mosquittoSubscribed,
  runCli,
  start,
  subscribed,
  uniqueTopic,
} from './helpers.js';

const enabled = hasMosquitto && hasMosquittoClients;
const title = enabled
  ? 'issue 18 flags beside mosquitto_pub / mosquitto_sub'
  : 'issue 18 flags (SKIPPED: install mosquitto and mosquitto-clients)';

/** mosquitto_sub -d writes debug lines to stdout: keep the lines our -F marks. */
function marked(stdout: string): string {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('MSG '))
    .map((l) => `${l.slice(4)}\n`)
    .join('');
}

/** Both sides' %j with the arrival time blanked (the only field that differs). */
function sameTime(text: string): string {
  return text.replace(
    /"tst":(\t?)"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z[+-]\d{4}"/g,
    '"tst":$1"T"',
  );
}

const mosquittoPub = (args: readonly string[]) => start('mosquitto_pub', args).done;
const mosquittoSub = (args: readonly string[]) => start('mosquitto_sub', args).done;

// Sequential: each test already runs mqttkit and mosquitto's clients side by side.
describe.skipIf(!enabled)(title, () => {
  let broker: MosquittoHandle;
  let at: string[];
  let socketPath: string;
  const proxies: ProxyHandle[] = [];
  beforeAll(async () => {
    assertBuilt();
    // One broker with a TCP and a Unix socket listener; anonymous on both.
    broker = await startMosquitto({
      beforeStart: (dir) => {
        socketPath = `${dir}/mqtt.sock`;
        return [`listener 0 ${socketPath}`];
      },
    });
    at = ['-h', '127.0.0.1', '-p', String(broker.port)];
  });
  afterAll(async () => {
    await Promise.all(proxies.map((p) => p.close()));
    await broker?.close();
  });

  /** The same persistent-session story for mqttkit and for mosquitto_sub: what each prints. */
  async function sessionStory(
    client: 'mqttkit' | 'mosquitto',
    version: string[],
    expiry: string[],
  ): Promise<{ queued: string; codes: number[] }> {
    const topic = uniqueTopic(`session-${client}-${version.join('')}-${expiry.join('')}`);
    // MQTT 3.1 allows client ids of 1 to 23 bytes: a short one there.
    const id = version.includes('31')
      ? `v31${client[0]}${process.pid % 100_000}${Date.now() % 1_000_000}`
      : `s18-${client}-${process.pid}-${topic.split('/').at(-1)}`;
    const sub = (extra: string[]) => {
      // The same arguments for both: only the program differs.
      const args = [...at, ...version, '-c', '-i', id, ...expiry, '-q', '1', '-t', topic, ...extra];
      return client === 'mqttkit' ? runCli(['sub', ...args]) : mosquittoSub(args);
    };
    const first = await sub(['-E']);
    const pub = await mosquittoPub([...at, '-t', topic, '-q', '1', '-m', 'kept while away']);
    const second = await sub(['-C', '1', '-W', '2', '-F', '%q %p']);
    return { queued: second.stdout, codes: [first.code ?? -1, pub.code ?? -1, second.code ?? -1] };
  }

  it('-c (3.1.1): the session keeps a QoS 1 message while away, as mosquitto_sub', async () => {
    const [ours, theirs] = await Promise.all([
      sessionStory('mqttkit', [], []),
      sessionStory('mosquitto', [], []),
    ]);
    expect(theirs).toEqual({ queued: '1 kept while away\n', codes: [0, 0, 0] });
    expect(ours).toEqual(theirs);
  });

  it('-V 31 (MQTT 3.1, MQIsdp) -c: the session keeps a QoS 1 message while away, as mosquitto_sub', async () => {
    const [ours, theirs] = await Promise.all([
      sessionStory('mqttkit', ['-V', '31'], []),
      sessionStory('mosquitto', ['-V', '31'], []),
    ]);
    expect(theirs).toEqual({ queued: '1 kept while away\n', codes: [0, 0, 0] });
    expect(ours).toEqual(theirs);
  });

  it('-c -x under MQTT 5: kept with -x 60 (and -c alone), gone with -x 0, as mosquitto_sub', async () => {
    const cases = [[], ['-x', '60'], ['-x', '0']];
    const results = await Promise.all(
      cases.flatMap((x) => [
        sessionStory('mqttkit', ['-V', '5'], x),
        sessionStory('mosquitto', ['-V', '5'], x),
      ]),
    );
    expect(results.map((r) => r.queued)).toEqual([
      '1 kept while away\n',
      '1 kept while away\n',
      '1 kept while away\n',
      '1 kept while away\n',
      '',
      '',
    ]);
    expect(results[5]?.codes).toEqual([0, 0, 27]);
    expect(results[4]?.codes).toEqual(results[5]?.codes);
  });

  it('-U removes a kept subscription, as mosquitto_sub', async () => {
    const story = async (client: 'mqttkit' | 'mosquitto') => {
      const topic = uniqueTopic(`unsub-${client}`);
      const other = `${topic}/other`;
      const id = `u18-${client}-${process.pid}-${topic.split('/').at(-1)}`;
      const run = (args: string[]) =>
        client === 'mqttkit'
          ? runCli(['sub', ...at, '-c', '-i', id, '-q', '1', ...args])
          : mosquittoSub([...at, '-c', '-i', id, '-q', '1', ...args]);
      expect((await run(['-t', topic, '-E'])).code).toBe(0);
      expect((await run(['-t', other, '-U', topic, '-E'])).code).toBe(0);
      await mosquittoPub([...at, '-t', topic, '-q', '1', '-m', 'to the removed one']);
      await mosquittoPub([...at, '-t', other, '-q', '1', '-m', 'to the kept one']);
      return (await run(['-t', other, '-C', '1', '-W', '2', '-v'])).stdout.replace(other, 'T');
    };
    const [ours, theirs] = await Promise.all([story('mqttkit'), story('mosquitto')]);
    expect(theirs).toBe('T to the kept one\n');
    expect(ours).toBe(theirs);
  });

  it('--retained-only --remove-retained: prints the retained ones, clears them, exits 0', async () => {
    const story = async (client: 'mqttkit' | 'mosquitto') => {
      const base = uniqueTopic(`clear-${client}`);
      for (const [leaf, text] of [
        ['a', 'first'],
        ['b', 'second'],
      ]) {
        await mosquittoPub([...at, '-t', `${base}/${leaf}`, '-r', '-q', '1', '-m', text!]);
      }
      const args = [...at, '-t', `${base}/#`, '--retained-only', '--remove-retained', '-W', '5'];
      const format = ['-F', '%r %p'];
      const cleared =
        client === 'mqttkit'
          ? await runCli(['sub', ...args, ...format])
          : await mosquittoSub([...args, ...format]);
      const after = await mosquittoSub([...at, '-t', `${base}/#`, '-W', '1', '-F', '%r %p']);
      return { cleared: [cleared.code, cleared.stdout], after: [after.code, after.stdout] };
    };
    const [ours, theirs] = await Promise.all([story('mqttkit'), story('mosquitto')]);
    // mosquitto_sub 2.0.11 prints and clears the same, but with clears in flight it waits for
    // -W and exits 27; mqttkit exits 0 once the broker acknowledged them, as its help says.
    expect(theirs).toEqual({ cleared: [27, '1 first\n1 second\n'], after: [27, ''] });
    expect(ours).toEqual({ ...theirs, cleared: [0, theirs.cleared[1]] });
  });

  it('--retained-only alone: prints the retained message, exits 0 at the first live one, as mosquitto_sub', async () => {
    const story = async (client: 'mqttkit' | 'mosquitto') => {
      const topic = uniqueTopic(`retained-only-${client}`);
      await mosquittoPub([...at, '-t', topic, '-r', '-q', '1', '-m', 'stored']);
      const args = [...at, '-t', topic, '--retained-only', '-W', '5', '-F', '%r %p'];
      const sub =
        client === 'mqttkit'
          ? await subscribed(['sub', ...args])
          : await mosquittoSubscribed([...args.slice(0, -1), 'MSG %r %p']);
      await mosquittoPub([...at, '-t', topic, '-q', '1', '-m', 'live']);
      const result = await sub.done;
      await mosquittoPub([...at, '-t', topic, '-r', '-n']);
      return [result.code, client === 'mqttkit' ? result.stdout : marked(result.stdout)];
    };
    const [ours, theirs] = await Promise.all([story('mqttkit'), story('mosquitto')]);
    expect(theirs).toEqual([0, '1 stored\n']);
    expect(ours).toEqual(theirs);
  });

  it('-F %j and --pretty: byte for byte as mosquitto_sub (payloadlen, escapes, raw bytes, MQTT 5 properties)', async () => {
    const topic = uniqueTopic('json');
    const payloads: Array<string[]> = [
      ['-m', 'plain'],
      ['-m', 'quote " backslash \\ tab \t'],
      ['-m', '{"a":[1,2]}'],
      ['-f', '/dev/null'],
      ['-m', 'é ü'],
      [
        '-V',
        '5',
        '-m',
        'props',
        '-D',
        'publish',
        'user-property',
        'k',
        'v',
        '-D',
        'publish',
        'user-property',
        'k',
        'w',
        '-D',
        'publish',
        'content-type',
        'text/plain',
        '-D',
        'publish',
        'response-topic',
        'r/t',
        '-D',
        'publish',
        'correlation-data',
        'cd',
        '-D',
        'publish',
        'payload-format-indicator',
        '1',
        '-D',
        'publish',
        'message-expiry-interval',
        '90',
      ],
    ];
    for (const pretty of [[], ['--pretty']]) {
      const n = String(payloads.length);
      const ours = await subscribed([
        'sub',
        ...at,
        '-V',
        '5',
        '-t',
        topic,
        '-q',
        '1',
        '-C',
        n,
        '-F',
        '%j',
        ...pretty,
      ]);
      const theirs = await mosquittoSubscribed([
        ...at,
        '-V',
        '5',
        '-t',
        topic,
        '-q',
        '1',
        '-C',
        n,
        '-F',
        'MSG %j',
        ...pretty,
      ]);
      for (const p of payloads)
        expect((await mosquittoPub([...at, '-t', topic, '-q', '1', ...p])).code).toBe(0);
      const [o, t] = await Promise.all([ours.done, theirs.done]);
      // mosquitto_sub -d interleaves debug lines on stdout: compare its MSG lines (single line
      // each) for %j, and its whole JSON objects for --pretty.
      const theirsText =
        pretty.length === 0
          ? marked(t.stdout)
          : `${t.stdout
              .split('\n')
              .filter((l) => /^(MSG \{|\t|\})/.test(l))
              .join('\n')
              .replaceAll('MSG {', '{')}\n`;
      expect(sameTime(o.stdout)).toBe(sameTime(theirsText));
      expect(o.stdout).toMatch(/"payloadlen":\t?0,(\n\t)?"mid":\t?\d+,(\n\t)?"payload":\t?null/);
    }
  });

  it('--repeat and --repeat-delay on pub: mosquitto_sub gets each copy, spaced, as from mosquitto_pub', async () => {
    const story = async (client: 'mqttkit' | 'mosquitto') => {
      const topic = uniqueTopic(`repeat-${client}`);
      const sub = await mosquittoSubscribed([
        ...at,
        '-t',
        topic,
        '-q',
        '1',
        '-C',
        '3',
        '-F',
        'MSG %q %p',
      ]);
      const args = [
        ...at,
        '-t',
        topic,
        '-q',
        '1',
        '-m',
        'again',
        '--repeat',
        '3',
        '--repeat-delay',
        '0.3',
      ];
      const started = Date.now();
      const pub = client === 'mqttkit' ? await runCli(['pub', ...args]) : await mosquittoPub(args);
      const seconds = (Date.now() - started) / 1000;
      return { code: pub.code, printed: marked((await sub.done).stdout), seconds };
    };
    const [ours, theirs] = await Promise.all([story('mqttkit'), story('mosquitto')]);
    expect(theirs.printed).toBe('1 again\n1 again\n1 again\n');
    expect([ours.code, ours.printed]).toEqual([0, theirs.printed]);
    // Two pauses of 0.3 s between three publishes.
    expect(ours.seconds).toBeGreaterThanOrEqual(0.6);
  });

  it('--unix: both ways over the broker Unix socket, output as mosquitto_sub --unix', async () => {
    const topic = uniqueTopic('unix');
    const ours = await subscribed(['sub', '--unix', socketPath, '-t', topic, '-C', '2', '-v']);
    const theirs = await mosquittoSubscribed([
      '--unix',
      socketPath,
      '-t',
      topic,
      '-C',
      '2',
      '-F',
      'MSG %t %p',
    ]);
    expect(
      (await runCli(['pub', '--unix', socketPath, '-t', topic, '-m', 'from mqttkit', '-q', '1']))
        .code,
    ).toBe(0);
    expect(
      (await mosquittoPub(['--unix', socketPath, '-t', topic, '-m', 'from mosquitto', '-q', '1']))
        .code,
    ).toBe(0);
    const [o, t] = await Promise.all([ours.done, theirs.done]);
    expect(o.stdout).toBe(`${topic} from mqttkit\n${topic} from mosquitto\n`);
    expect(o.stdout).toBe(marked(t.stdout));
  });

  it('--nodelay: accepted by pub and sub, output as mosquitto_sub --nodelay', async () => {
    const topic = uniqueTopic('nodelay');
    const ours = await subscribed(['sub', ...at, '--nodelay', '-t', topic, '-C', '1', '-v']);
    const theirs = await mosquittoSubscribed([
      ...at,
      '--nodelay',
      '-t',
      topic,
      '-C',
      '1',
      '-F',
      'MSG %t %p',
    ]);
    expect((await runCli(['pub', ...at, '--nodelay', '-t', topic, '-m', 'no nagle'])).code).toBe(0);
    const [o, t] = await Promise.all([ours.done, theirs.done]);
    expect(o.stdout).toBe(`${topic} no nagle\n`);
    expect(o.stdout).toBe(marked(t.stdout));
  });

  it('--proxy socks5h:// with credentials: the same output as mosquitto_sub --proxy; the password is never printed', async () => {
    const password = 'S0cks-pass';
    const socks = await startSocksProxy({ credentials: { username: 'cli', password } });
    proxies.push(socks);
    const proxy = `socks5h://cli:${password}@127.0.0.1:${socks.port}`;
    const topic = uniqueTopic('socks');
    const ours = await subscribed(['sub', ...at, '--proxy', proxy, '-t', topic, '-C', '1', '-v']);
    const theirs = await mosquittoSubscribed([
      ...at,
      '--proxy',
      proxy,
      '-t',
      topic,
      '-C',
      '1',
      '-F',
      'MSG %t %p',
    ]);
    const pub = await runCli([
      'pub',
      ...at,
      '--proxy',
      proxy,
      '-t',
      topic,
      '-m',
      'via socks',
      '-d',
    ]);
    expect(pub.code).toBe(0);
    const [o, t] = await Promise.all([ours.done, theirs.done]);
    expect(o.stdout).toBe(`${topic} via socks\n`);
    expect(o.stdout).toBe(marked(t.stdout));
    // Three tunnels through the proxy: our sub, mosquitto_sub, our pub.
    expect(socks.granted).toBe(3);
    for (const text of [o.stderr, pub.stderr, pub.stdout]) expect(text).not.toContain(password);

    const wrong = await runCli([
      'pub',
      ...at,
      '--proxy',
      proxy.replace(password, 'nope-x'),
      '-t',
      topic,
      '-m',
      'x',
      '-d',
    ]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(
      new RegExp(
        `Proxy socks5h://127\\.0\\.0\\.1:${socks.port} could not connect to mqtt://127\\.0\\.0\\.1:${broker.port}: the proxy needs credentials or refused them`,
      ),
    );
    expect(wrong.stderr).not.toContain('nope-x');
  });

  it('--proxy http:// (CONNECT): pub -> sub through it; a refusing proxy is exit 1', async () => {
    const http = await startHttpProxy({ credentials: { username: 'web', password: 'H77p-pass' } });
    const refusing = await startHttpProxy({ refuse: true });
    proxies.push(http, refusing);
    const proxy = `http://web:H77p-pass@127.0.0.1:${http.port}`;
    const topic = uniqueTopic('http-proxy');
    const ours = await subscribed(['sub', ...at, '--proxy', proxy, '-t', topic, '-C', '1', '-v']);
    expect(
      (await runCli(['pub', ...at, '--proxy', proxy, '-t', topic, '-m', 'via connect'])).code,
    ).toBe(0);
    expect(await ours.done).toMatchObject({ code: 0, stdout: `${topic} via connect\n` });
    expect(http.requests).toEqual([`127.0.0.1:${broker.port}`, `127.0.0.1:${broker.port}`]);
    const refused = await runCli(['pub', ...at, '--proxy', refusing.url, '-t', topic, '-m', 'x']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/could not connect to .*: it refused \(HTTP 403\)/);
  });

  it('pub to a wildcard topic refuses before connecting, as mosquitto_pub', async () => {
    let connections = 0;
    const listener = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const port = String((listener.address() as { port: number }).port);
    try {
      const ours = await runCli(['pub', '-h', '127.0.0.1', '-p', port, '-t', 'a/#', '-m', 'x']);
      const theirs = await mosquittoPub(['-h', '127.0.0.1', '-p', port, '-t', 'a/#', '-m', 'x']);
      expect(theirs.code).toBe(1);
      expect(ours.code).toBe(2);
      expect(ours.stderr).toMatch(/-t a\/#: a topic to publish to cannot hold \+ or #/);
      expect(connections).toBe(0);
    } finally {
      listener.close();
    }
  });
});
