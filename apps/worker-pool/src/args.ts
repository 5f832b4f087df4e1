// Command-line options of the app's three entry points (main, supervise, publish).
import { parseArgs } from 'node:util';
import type { GroupSettings } from './slot.js';

export interface PoolArgs extends GroupSettings {
  workers: number;
  workMs: number;
  count: number;
  inflight: number;
  ledgerDir: string | undefined;
  /** Topic prefix of the publisher; the group's filter is `<prefix>/#`. */
  prefix: string;
  /** Given: use that broker; not given: `main` starts mosquitto. */
  urlGiven: boolean;
}

const int = (name: string, value: string | undefined, fallback: number, min: number): number => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer >= ${min}`);
  return n;
};

export function parsePoolArgs(argv: readonly string[]): PoolArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      url: { type: 'string' },
      group: { type: 'string', default: 'pool' },
      prefix: { type: 'string', default: 'telemetry' },
      workers: { type: 'string' },
      'receive-maximum': { type: 'string' },
      'session-expiry': { type: 'string' },
      'work-ms': { type: 'string' },
      count: { type: 'string' },
      inflight: { type: 'string' },
      'ledger-dir': { type: 'string' },
    },
    strict: true,
  });
  const prefix = values.prefix;
  return {
    url: values.url ?? '',
    urlGiven: values.url !== undefined,
    group: values.group,
    prefix,
    filter: `${prefix}/#`,
    workers: int('workers', values.workers, 4, 1),
    receiveMaximum: int('receive-maximum', values['receive-maximum'], 32, 1),
    sessionExpiry: int('session-expiry', values['session-expiry'], 300, 1),
    workMs: int('work-ms', values['work-ms'], 1, 0),
    count: int('count', values.count, 20_000, 1),
    inflight: int('inflight', values.inflight, 100, 1),
    ledgerDir: values['ledger-dir'],
  };
}

/** The group settings within the options, without the rest (what a worker is handed). */
export function groupSettings(args: PoolArgs): GroupSettings {
  const { url, group, filter, receiveMaximum, sessionExpiry } = args;
  return { url, group, filter, receiveMaximum, sessionExpiry };
}
