import { describe, expect, it } from 'vitest';
import { type CliArgs, parseArgs } from '../src/args.js';

function run(argv: string[]): CliArgs {
  const result = parseArgs(argv);
  if (result.kind !== 'run') throw new Error(`expected run, got ${result.kind}`);
  return result.args;
}

function usageError(argv: string[]): string {
  try {
    parseArgs(argv);
  } catch (error) {
    expect((error as { code: string }).code).toBe('MQTTKIT_ERR_CLI_USAGE');
    expect((error as { exitCode: number }).exitCode).toBe(2);
    return (error as Error).message;
  }
  throw new Error(`no usage error for ${argv.join(' ')}`);
}

describe('parseArgs: mosquitto flags', () => {
  it('parses a mosquitto_pub command line', () => {
    const args = run([
      'pub',
      '-h',
      '10.0.0.1',
      '-p',
      '1999',
      '-t',
      'a/b',
      '-m',
      'hi',
      '-q',
      '2',
      '-r',
      '-i',
      'me',
      '-k',
      '30',
    ]);
    expect(args).toMatchObject({
      command: 'pub',
      topic: 'a/b',
      qos: 2,
      retain: true,
      source: { type: 'message', text: 'hi' },
      connection: {
        url: 'mqtt://10.0.0.1:1999',
        clientId: 'me',
        keepalive: 30,
        protocolVersion: 4,
      },
    });
  });

  it('defaults: localhost:1883, QoS 0, keepalive 60, MQTT 3.1.1 (as mosquitto)', () => {
    const args = run(['sub', '-t', 'x']);
    expect(args).toMatchObject({
      qos: 0,
      connection: { url: 'mqtt://localhost:1883', keepalive: 60, protocolVersion: 4 },
    });
  });

  it('collects repeated -t for sub, in order, and long forms', () => {
    const args = run([
      'sub',
      '-t',
      'a',
      '--topic',
      'b/#',
      '--topic=c/+',
      '-v',
      '-C',
      '3',
      '-W',
      '1.5',
      '-N',
      '-R',
      '-E',
    ]);
    expect(args).toMatchObject({
      topics: ['a', 'b/#', 'c/+'],
      verbose: true,
      count: 3,
      timeoutSeconds: 1.5,
      noNewline: true,
      skipRetained: true,
      exitAfterSubscribe: true,
    });
  });

  it.each([
    [['-l'], { type: 'stdin-lines' }],
    [['-s'], { type: 'stdin' }],
    [['-n'], { type: 'null' }],
    [['-f', '/tmp/x'], { type: 'file', path: '/tmp/x' }],
    [['--stdin-line'], { type: 'stdin-lines' }],
  ])('pub message source %j', (flags, source) => {
    expect(run(['pub', '-t', 't', ...flags])).toMatchObject({ source });
  });

  it.each([
    ['5', 5],
    ['mqttv5', 5],
    ['311', 4],
    ['mqttv311', 4],
    ['31', 3],
    ['mqttv31', 3],
  ])('-V %s is protocol version %d', (v, expected) => {
    expect(run(['sub', '-t', 'x', '-V', v]).connection.protocolVersion).toBe(expected);
  });

  it('parses -D properties, user properties repeatable, and -D implies MQTT 5', () => {
    const args = run([
      'pub',
      '-t',
      't',
      '-m',
      'x',
      '-D',
      'publish',
      'user-property',
      'k',
      'v1',
      '-D',
      'PUBLISH',
      'user-property',
      'k',
      'v2',
      '-D',
      'publish',
      'user-property',
      'other',
      'o',
      '-D',
      'publish',
      'content-type',
      'text/plain',
      '-D',
      'publish',
      'message-expiry-interval',
      '30',
      '-D',
      'connect',
      'session-expiry-interval',
      '60',
      '-D',
      'connect',
      'request-problem-information',
      '1',
    ]);
    expect(args.connection.protocolVersion).toBe(5);
    expect(args.connection.properties.publish).toEqual({
      userProperties: { k: ['v1', 'v2'], other: 'o' },
      contentType: 'text/plain',
      messageExpiryInterval: 30,
    });
    expect(args.connection.properties.connect).toEqual({
      sessionExpiryInterval: 60,
      requestProblemInformation: true,
    });
  });

  it('-D will properties go with the will; correlation data becomes bytes', () => {
    const args = run([
      'sub',
      '-t',
      'x',
      '--will-topic',
      'w',
      '--will-payload',
      'bye',
      '--will-qos',
      '1',
      '--will-retain',
      '-D',
      'will',
      'correlation-data',
      'ab',
    ]);
    expect(args.connection.will).toEqual({ topic: 'w', payload: 'bye', qos: 1, retain: true });
    expect(args.connection.properties.will.correlationData).toEqual(new TextEncoder().encode('ab'));
  });

  it('-L gives scheme, credentials (%-decoded), host, port and topic', () => {
    // sub: a wildcard topic is a filter (pub refuses it before connecting, issue 18).
    const args = run(['sub', '-L', 'mqtt://us%40er:p%3Ass@broker.example:1884/a/b/#']);
    expect(args).toMatchObject({
      topics: ['a/b/#'],
      connection: { url: 'mqtt://broker.example:1884', username: 'us@er', password: 'p:ss' },
    });
    expect(run(['pub', '-L', 'mqtt://u:p@broker.example/a/b', '-m', 'x'])).toMatchObject({
      topic: 'a/b',
    });
  });

  it('-L defaults: mqtts 8883 with TLS, ws endpoint /mqtt (or --ws-path), IPv6 literals', () => {
    expect(run(['sub', '-L', 'mqtts://h/t']).connection).toMatchObject({
      url: 'mqtts://h:8883',
      tls: { insecure: false },
    });
    expect(run(['sub', '-L', 'ws://h:9001/t']).connection.url).toBe('ws://h:9001/mqtt');
    expect(run(['sub', '-L', 'wss://h/t', '--ws-path', '/ws']).connection.url).toBe(
      'wss://h:443/ws',
    );
    expect(run(['sub', '-L', 'mqtt://[::1]:1883/t']).connection.url).toBe('mqtt://[::1]:1883');
    expect(run(['sub', '-h', '::1', '-t', 't']).connection.url).toBe('mqtt://[::1]:1883');
  });

  it('-L topic plus -t topics for sub', () => {
    expect(run(['sub', '-L', 'mqtt://h/a', '-t', 'b'])).toMatchObject({ topics: ['a', 'b'] });
  });

  it('TLS flags switch -h/-p to mqtts on 8883', () => {
    const args = run([
      'pub',
      '-h',
      'h',
      '-t',
      't',
      '-m',
      'x',
      '--cafile',
      'ca.pem',
      '--cert',
      'c.pem',
      '--key',
      'k.pem',
    ]);
    expect(args.connection).toMatchObject({
      url: 'mqtts://h:8883',
      tls: { cafile: 'ca.pem', cert: 'c.pem', key: 'k.pem', insecure: false },
    });
    expect(run(['sub', '-t', 't', '--insecure']).connection.tls).toEqual({ insecure: true });
  });

  it('-F is compiled while parsing', () => {
    const args = run(['sub', '-t', 'x', '-F', '%t %p']);
    expect(args.command === 'sub' && args.format).toEqual([
      { type: 'field', field: 't' },
      { type: 'text', text: ' ' },
      { type: 'field', field: 'p' },
    ]);
  });

  it('bench and watch', () => {
    expect(run(['bench', '-C', '100', '-S', '1024', '-q', '1'])).toMatchObject({
      count: 100,
      size: 1024,
      qos: 1,
      timeoutSeconds: 60,
    });
    expect(run(['watch', '-k', '5', '-W', '3'])).toMatchObject({
      timeoutSeconds: 3,
      connection: { keepalive: 5 },
    });
  });

  it('help and version', () => {
    expect(parseArgs(['--help'])).toEqual({ kind: 'help' });
    expect(parseArgs(['help', 'sub'])).toEqual({ kind: 'help', command: 'sub' });
    expect(parseArgs(['pub', '--help'])).toEqual({ kind: 'help', command: 'pub' });
    expect(parseArgs(['--version'])).toEqual({ kind: 'version' });
  });
});

describe('parseArgs: usage errors say what to do', () => {
  it.each<[string[], RegExp]>([
    [[], /Give a command/],
    [['publish'], /Unknown command "publish"/],
    [['-t', 'x'], /put the command first/],
    [['sub', '-t', 'x', '-z'], /Unknown option -z/],
    [['sub', '-t', 'x', '--nope'], /Unknown option --nope/],
    [['sub'], /sub needs a topic filter/],
    [['pub', '-m', 'x'], /pub needs a topic/],
    [['pub', '-t', 'x'], /pub needs a message: -m/],
    [['pub', '-t', 'x', '-m', 'a', '-n'], /only one of -m, -f, -l, -s, -n/],
    [['pub', '-t', 'x', '-t', 'y', '-m', 'a'], /give -t once/],
    [['pub', '-t', 'x', '-m', 'a', '-m', 'b'], /-m was given twice/],
    [['sub', '-t', 'x', '-q', '3'], /-q 3: the QoS is 0, 1 or 2/],
    [['sub', '-t', 'x', '-p', '70000'], /port must be a number from 1 to 65535/],
    [['sub', '-t', 'x', '-p'], /-p needs a value/],
    [['sub', '-t', 'x', '-k', '-1'], /-k -1: expected a whole number from 0 to 65535/],
    [['sub', '-t', 'x', '-C', '0'], /-C 0: expected a whole number from 1/],
    [['sub', '-t', 'x', '-W', 'soon'], /-W soon: expected a number of seconds/],
    [['sub', '-t', 'x', '-V', '4'], /-V 4: use 311, 5/],
    [['sub', '-t', 'x', '-m', 'hi'], /-m does not apply to sub \(it is for mqttkit pub\)/],
    [['pub', '-t', 'x', '-m', 'hi', '-v'], /-v does not apply to pub/],
    [
      ['pub', '-t', 'x', '-m', 'a', '-D', 'publish', 'user-property', 'k'],
      /needs a name and a value/,
    ],
    [
      ['pub', '-t', 'x', '-m', 'a', '-D', 'publish', 'colour', 'red'],
      /unknown property; publish accepts user-property/,
    ],
    [
      ['pub', '-t', 'x', '-m', 'a', '-D', 'subscribe', 'user-property', 'k', 'v'],
      /pub accepts properties for connect, publish, will/,
    ],
    [['pub', '-t', 'x', '-m', 'a', '-D', 'connect', 'receive-maximum', '70000'], /from 0 to 65535/],
    [['pub', '-t', 'x', '-m', 'a', '-V', '311', '-D', 'publish', 'content-type', 'x'], /use -V 5/],
    [['sub', '-t', 'x', '-D', 'subscribe', 'subscription-identifier', '0'], /from 1 to/],
    [['sub', '-L', 'mqtt://h/t', '-h', 'h'], /leave out -h and -p/],
    [['sub', '-L', 'http://h/t'], /unsupported scheme http/],
    [['sub', '-L', 'not a url'], /expected mqtt\[s\]:\/\//],
    [['sub', '-L', 'mqtt://h/t', '--cafile', 'ca'], /use mqtts:\/\/ instead of mqtt:\/\//],
    [['sub', '-t', 'x', '--cert', 'c'], /--cert and --key go together/],
    [['sub', '-t', 'x', '-P', 'pw'], /-P needs -u under MQTT 3.1.1/],
    [['sub', '-t', 'x', '--will-payload', 'p'], /need --will-topic/],
    [['sub', '-t', 'x', '-F', '%z'], /%z is not supported/],
    [['sub', '-t', 'x', 'extra'], /Unexpected argument "extra"/],
    [['sub', '-t', 'x', '-v=1'], /Unknown option -v=1/],
    [['sub', '-t', 'x', '--verbose=yes'], /--verbose takes no value/],
    [['bench', '-S', '4'], /at least|from 8 bytes/],
    [['watch', '-t', 'x'], /-t does not apply to watch/],
  ])('%j', (argv, message) => {
    expect(usageError(argv)).toMatch(message);
  });

  it('-P without -u is fine under MQTT 5', () => {
    expect(run(['sub', '-t', 'x', '-V', '5', '-P', 'pw']).connection.password).toBe('pw');
  });
});
