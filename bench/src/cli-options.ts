// The command line of `pnpm bench`. An unknown part, case or client fails the run instead of
// being skipped, so a typo never yields a table that silently lacks what was asked for.
import { CLIENT_BOUND_CASES } from './client-bound.js';
import { PUBLISH_CASES } from './publish-rounds.js';

export const PARTS = [
  'throughput',
  'client-bound',
  'logger',
  'otel',
  'latency',
  'connect',
  'memory',
  'scale',
  'worker-pool',
] as const;
export type Part = (typeof PARTS)[number];

/**
 * Case keys of the throughput and client-bound parts (`--cases`; `receive` selects every receive
 * case); the logger and otel parts run the 64 B publish ones.
 */
export const CASES: readonly string[] = [
  ...PUBLISH_CASES.map((c) => c.key),
  'receive',
  ...CLIENT_BOUND_CASES.filter((c) => c.direction === 'receive').map((c) => c.key),
];
/** Parties of the throughput part (`--clients`). */
export const CLIENTS = ['mqttkit', 'MQTT.js', 'raw'] as const;
export type ClientName = (typeof CLIENTS)[number];

export interface BenchArgs {
  quick: boolean;
  /** Parts to run; all when empty. */
  only: Part[];
  /** Rounds of the throughput and logger parts, instead of the size's default. */
  rounds?: number;
  /** Case keys of the throughput and logger parts; all when empty. */
  cases: string[];
  /** Parties of the throughput part; all when empty. */
  clients: ClientName[];
  /** A checkout whose built client is measured beside this one (A/B). */
  versus?: string;
}

function list<T extends string>(value: string, known: readonly T[], flag: string): T[] {
  const names = value.split(',').filter((v) => v !== '');
  for (const name of names) {
    if (!(known as readonly string[]).includes(name))
      throw new Error(`${flag}: unknown "${name}" (known: ${known.join(', ')})`);
  }
  return names as T[];
}

export function parseArgs(argv: readonly string[]): BenchArgs {
  const args: BenchArgs = { quick: false, only: [], cases: [], clients: [] };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] as string;
    if (flag === '--') continue; // what a package manager may put before forwarded arguments
    if (flag === '--quick') {
      args.quick = true;
      continue;
    }
    if (!['--only', '--cases', '--clients', '--versus', '--rounds'].includes(flag))
      throw new Error(`unknown option ${flag}`);
    const value = argv[++i];
    if (value === undefined || value.startsWith('--')) throw new Error(`${flag}: value missing`);
    if (flag === '--only') args.only = list(value, PARTS, flag);
    else if (flag === '--cases') args.cases = list(value, CASES, flag);
    else if (flag === '--clients') args.clients = list(value, CLIENTS, flag);
    else if (flag === '--versus') args.versus = value;
    else {
      const rounds = Number(value);
      if (!Number.isInteger(rounds) || rounds < 1)
        throw new Error(`--rounds: not a count: ${value}`);
      args.rounds = rounds;
    }
  }
  return args;
}
