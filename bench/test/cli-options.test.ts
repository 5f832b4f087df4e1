import { describe, expect, it } from 'vitest';
import { parseArgs } from '../src/cli-options.js';

describe('pnpm bench command line', () => {
  it('defaults to every part, case and client at the default rounds', () => {
    expect(parseArgs([])).toEqual({ quick: false, only: [], cases: [], clients: [] });
  });

  it('reads every option, after a `--` a package manager may forward', () => {
    expect(
      parseArgs([
        '--',
        '--quick',
        '--only',
        'throughput,logger',
        '--rounds',
        '9',
        '--cases',
        'q0-64,receive',
        '--clients',
        'mqttkit,raw',
        '--versus',
        '/tmp/base',
      ]),
    ).toEqual({
      quick: true,
      only: ['throughput', 'logger'],
      rounds: 9,
      cases: ['q0-64', 'receive'],
      clients: ['mqttkit', 'raw'],
      versus: '/tmp/base',
    });
  });

  it('refuses unknown names and options instead of running a smaller table', () => {
    expect(() => parseArgs(['--only', 'throughput,throughtput'])).toThrow(/unknown "throughtput"/);
    expect(() => parseArgs(['--cases', 'q3-64'])).toThrow(/--cases: unknown "q3-64"/);
    expect(() => parseArgs(['--clients', 'mqtt.js'])).toThrow(/--clients: unknown "mqtt.js"/);
    expect(() => parseArgs(['--fast'])).toThrow(/unknown option --fast/);
  });

  it('refuses a missing value and a round count that is not a positive integer', () => {
    expect(() => parseArgs(['--only'])).toThrow(/--only: value missing/);
    expect(() => parseArgs(['--versus', '--quick'])).toThrow(/--versus: value missing/);
    for (const bad of ['0', '-1', '2.5', 'five'])
      expect(() => parseArgs(['--rounds', bad]), bad).toThrow(/--rounds: not a count/);
  });
});
