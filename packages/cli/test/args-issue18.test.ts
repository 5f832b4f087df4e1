/** The flags issue 18 added, parsed without a broker: values, defaults, and usage errors. */
import { describe, expect, it } from 'vitest';
import { type CliArgs, FLAGS, parseArgs } from '../src/args.js';
import { helpText } from '../src/help.js';

function run(argv: string[]): CliArgs {
  const result = parseArgs(argv);
  if (result.kind !== 'run') throw new Error(`expected run, got ${result.kind}`);
  return result.args;
}

function usageError(argv: string[]): string {
  try {
    parseArgs(argv);
  } catch (error) {
    expect((error as { exitCode: number }).exitCode).toBe(2);
    return (error as Error).message;
  }
  throw new Error(`no usage error for ${argv.join(' ')}`);
}

describe('-c and -x', () => {
  it('-c keeps the session of the given client id; under MQTT 5 it never expires unless -x', () => {
    expect(run(['sub', '-t', 't', '-c', '-i', 'me']).connection).toMatchObject({
      clean: false,
      clientId: 'me',
    });
    expect(run(['sub', '-t', 't', '-c', '-i', 'me']).connection.sessionExpiryInterval).toBe(
      undefined,
    );
    expect(
      run(['sub', '-t', 't', '--disable-clean-session', '-i', 'me', '-V', '5']).connection,
    ).toMatchObject({ clean: false, sessionExpiryInterval: 0xffffffff });
    expect(
      run(['sub', '-t', 't', '-c', '-i', 'me', '-V', '5', '-x', '30']).connection,
    ).toMatchObject({ clean: false, sessionExpiryInterval: 30 });
    expect(run(['sub', '-t', 't', '-V', '5', '-x', '-1']).connection).toMatchObject({
      clean: true,
      sessionExpiryInterval: 0xffffffff,
    });
    expect(
      run(['pub', '-t', 't', '-m', 'x', '-V', '5', '-x', '4294967294']).connection,
    ).toMatchObject({ sessionExpiryInterval: 4294967294 });
    expect(run(['sub', '-t', 't']).connection.clean).toBe(true);
  });

  it('refuses -c without -i, -x under 3.1.1, and a bad -x', () => {
    expect(usageError(['sub', '-t', 't', '-c'])).toMatch(/-c keeps the session .* -i/);
    expect(usageError(['sub', '-t', 't', '-x', '10'])).toMatch(/-x .* -V 5/);
    expect(usageError(['sub', '-t', 't', '-V', '5', '-x', 'soon'])).toMatch(/-x soon/);
  });
});

describe('--unix, --proxy, --nodelay', () => {
  it('--unix is the socket path; not with -h, -p, -L or --proxy', () => {
    expect(run(['sub', '-t', 't', '--unix', '/run/m.sock']).connection).toMatchObject({
      socketPath: '/run/m.sock',
      url: 'mqtt://localhost:1883',
    });
    expect(usageError(['sub', '-t', 't', '--unix', '/s', '-h', 'x'])).toMatch(/--unix/);
    expect(
      usageError(['sub', '-t', 't', '--unix', '/s', '--proxy', 'socks5h://127.0.0.1']),
    ).toMatch(/--unix and --proxy/);
  });

  it('--proxy takes socks5h, socks5, socks and http URLs; a bad one is refused without its password', () => {
    for (const url of [
      'socks5h://u:p@127.0.0.1:1080',
      'socks5://127.0.0.1',
      'socks://127.0.0.1:9050',
      'http://127.0.0.1:3128',
    ]) {
      expect(run(['pub', '-t', 't', '-m', 'x', '--proxy', url]).connection.proxy).toBe(url);
    }
    const message = usageError(['sub', '-t', 't', '--proxy', 'ftp://user:hunter2@127.0.0.1']);
    expect(message).toMatch(/--proxy: expected socks5h:/);
    expect(message).not.toContain('hunter2');
  });

  it('--nodelay is accepted (Nagle is always off)', () => {
    expect(run(['pub', '-t', 't', '-m', 'x', '--nodelay']).command).toBe('pub');
  });
});

describe('pub', () => {
  it.each(['a/#', '#', 'a/+/b', '+'])('refuses to publish to the wildcard topic %s', (topic) => {
    expect(usageError(['pub', '-t', topic, '-m', 'x'])).toBe(
      `-t ${topic}: a topic to publish to cannot hold + or # (they are for subscribing)`,
    );
  });

  it('--repeat and --repeat-delay', () => {
    expect(run(['pub', '-t', 't', '-m', 'x'])).toMatchObject({ repeat: 1, repeatDelaySeconds: 0 });
    expect(
      run(['pub', '-t', 't', '-m', 'x', '--repeat', '3', '--repeat-delay', '0.25']),
    ).toMatchObject({ repeat: 3, repeatDelaySeconds: 0.25 });
    expect(usageError(['pub', '-t', 't', '-l', '--repeat', '2'])).toMatch(/not -l/);
    expect(usageError(['pub', '-t', 't', '-m', 'x', '--repeat-delay', '1'])).toMatch(
      /with --repeat/,
    );
    expect(usageError(['pub', '-t', 't', '-m', 'x', '--repeat', '0'])).toMatch(/--repeat 0/);
  });
});

describe('sub', () => {
  it('-U (repeatable), --retained-only, --remove-retained, --pretty', () => {
    expect(
      run([
        'sub',
        '-t',
        't',
        '-U',
        'a',
        '--unsubscribe',
        'b/#',
        '--retained-only',
        '--remove-retained',
        '--pretty',
        '-F',
        '%j',
      ]),
    ).toMatchObject({
      unsubscribe: ['a', 'b/#'],
      retainedOnly: true,
      removeRetained: true,
      pretty: true,
    });
    expect(run(['sub', '-t', 't'])).toMatchObject({
      unsubscribe: [],
      retainedOnly: false,
      removeRetained: false,
      pretty: false,
    });
  });
});

describe('--help', () => {
  it.each(['pub', 'sub', 'bench', 'watch'] as const)(
    'mqttkit %s --help lists each of its flags',
    (command) => {
      const text = helpText(command);
      for (const flag of FLAGS.filter((f) => f.commands.includes(command))) {
        expect(text).toContain(`--${flag.long}`);
        if (flag.short) expect(text).toContain(`-${flag.short}, --${flag.long}`);
      }
    },
  );
});
