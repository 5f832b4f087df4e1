/**
 * Interop with mosquitto's own clients through a real mosquitto: our pub -> mosquitto_sub and
 * mosquitto_pub -> our sub. Skipped locally when mosquitto or its clients are missing; under CI
 * their absence fails.
 */
import { hasMosquitto, type MosquittoHandle, startMosquitto } from '@mqttkit/testkit';
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
  ? 'interop with mosquitto_pub / mosquitto_sub'
  : 'interop (SKIPPED: install mosquitto and mosquitto-clients)';

/** mosquitto_sub -d writes its debug lines to stdout: keep only our -F lines. */
function messages(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('MSG '))
    .map((l) => l.slice(4));
}

// Every test uses its own topics, so they run concurrently (most of their time is waiting).
describe.skipIf(!enabled)(title, { concurrent: true }, () => {
  let broker: MosquittoHandle;
  let at: string[];
  beforeAll(async () => {
    assertBuilt();
    broker = await startMosquitto();
    at = ['-h', '127.0.0.1', '-p', String(broker.port)];
  });
  afterAll(async () => {
    await broker?.close();
  });

  it.each([0, 1, 2])('mqttkit pub -> mosquitto_sub at QoS %d', async (qos) => {
    const topic = uniqueTopic(`to-mosquitto-${qos}`);
    const theirs = await mosquittoSubscribed([
      ...at,
      '-t',
      topic,
      '-q',
      String(qos),
      '-C',
      '1',
      '-F',
      'MSG %q %r %p',
    ]);
    const ours = await runCli([
      'pub',
      ...at,
      '-t',
      topic,
      '-q',
      String(qos),
      '-m',
      `from mqttkit ${qos}`,
    ]);
    expect(ours.code).toBe(0);
    const result = await theirs.done;
    expect(result.code).toBe(0);
    expect(messages(result.stdout)).toEqual([`${qos} 0 from mqttkit ${qos}`]);
  });

  it.each([0, 1, 2])('mosquitto_pub -> mqttkit sub at QoS %d', async (qos) => {
    const topic = uniqueTopic(`from-mosquitto-${qos}`);
    const ours = await subscribed([
      'sub',
      ...at,
      '-t',
      topic,
      '-q',
      String(qos),
      '-C',
      '1',
      '-F',
      '%q %r %t %p',
    ]);
    const theirs = await start('mosquitto_pub', [
      ...at,
      '-t',
      topic,
      '-q',
      String(qos),
      '-m',
      `from mosquitto ${qos}`,
    ]).done;
    expect(theirs.code).toBe(0);
    const result = await ours.done;
    expect(result).toMatchObject({ code: 0, stdout: `${qos} 0 ${topic} from mosquitto ${qos}\n` });
  });

  it('retained both ways: %r is 1 for a stored message', async () => {
    const [a, b] = [uniqueTopic('retain-ours'), uniqueTopic('retain-theirs')];
    expect((await runCli(['pub', ...at, '-t', a, '-m', 'kept-a', '-r', '-q', '1'])).code).toBe(0);
    expect(
      (await start('mosquitto_pub', [...at, '-t', b, '-m', 'kept-b', '-r', '-q', '1']).done).code,
    ).toBe(0);
    const theirs = await start('mosquitto_sub', [...at, '-t', a, '-C', '1', '-F', 'MSG %r %p'])
      .done;
    expect(messages(theirs.stdout)).toEqual(['1 kept-a']);
    const ours = await runCli(['sub', ...at, '-t', b, '-C', '1', '-F', '%r %p']);
    expect(ours.stdout).toBe('1 kept-b\n');
    // Both skip it with -R, and both then exit 27 on -W.
    const oursSkip = runCli(['sub', ...at, '-t', b, '-R', '-W', '1']);
    const theirsSkip = start('mosquitto_sub', [...at, '-t', a, '-R', '-W', '1']).done;
    const [o, t] = await Promise.all([oursSkip, theirsSkip]);
    expect([o.code, o.stdout]).toEqual([27, '']);
    expect([t.code, t.stdout]).toEqual([27, '']);
    await runCli(['pub', ...at, '-t', a, '-n', '-r']);
    await runCli(['pub', ...at, '-t', b, '-n', '-r']);
  });

  it('-C and -W exit codes match mosquitto_sub', async () => {
    const topic = uniqueTopic('exit-codes');
    const [ours, theirs] = await Promise.all([
      runCli(['sub', ...at, '-t', topic, '-W', '1', '-C', '1']),
      start('mosquitto_sub', [...at, '-t', topic, '-W', '1', '-C', '1']).done,
    ]);
    expect(theirs.code).toBe(27);
    expect(ours.code).toBe(theirs.code);
  });

  it('mqttkit pub -l: mosquitto_sub gets each line', async () => {
    const topic = uniqueTopic('lines');
    const theirs = await mosquittoSubscribed([
      ...at,
      '-t',
      topic,
      '-q',
      '1',
      '-C',
      '3',
      '-F',
      'MSG %p',
    ]);
    const ours = await runCli(['pub', ...at, '-t', topic, '-q', '1', '-l'], {
      input: 'alpha\nbeta\ngamma\n',
    });
    expect(ours.code).toBe(0);
    expect(messages((await theirs.done).stdout)).toEqual(['alpha', 'beta', 'gamma']);
  });

  it('MQTT 5 user properties with -D, both ways', async () => {
    const [a, b] = [uniqueTopic('props-ours'), uniqueTopic('props-theirs')];
    const theirsSub = await mosquittoSubscribed([
      ...at,
      '-V',
      '5',
      '-t',
      a,
      '-C',
      '1',
      '-F',
      'MSG %P|%C|%p',
    ]);
    const oursPub = await runCli([
      'pub',
      ...at,
      '-t',
      a,
      '-m',
      'p',
      '-q',
      '1',
      '-D',
      'publish',
      'user-property',
      'origin',
      'mqttkit',
      '-D',
      'publish',
      'user-property',
      'n',
      '1',
      '-D',
      'publish',
      'content-type',
      'text/plain',
    ]);
    expect(oursPub.code).toBe(0);
    expect(messages((await theirsSub.done).stdout)).toEqual(['origin:mqttkit n:1|text/plain|p']);

    const oursSub = await subscribed([
      'sub',
      ...at,
      '-V',
      '5',
      '-t',
      b,
      '-C',
      '1',
      '-F',
      '%P|%C|%p',
    ]);
    const theirsPub = await start('mosquitto_pub', [
      ...at,
      '-V',
      '5',
      '-t',
      b,
      '-m',
      'q',
      '-q',
      '1',
      '-D',
      'publish',
      'user-property',
      'origin',
      'mosquitto',
      '-D',
      'publish',
      'content-type',
      'application/json',
    ]).done;
    expect(theirsPub.code).toBe(0);
    expect((await oursSub.done).stdout).toBe('origin:mosquitto|application/json|q\n');
  });
});
