// Connect rate: new TCP connections + CONNECT until CONNACK, `concurrency` attempts at a time.
// Raw: a socket writing a pre-encoded CONNECT and waiting for its CONNACK.
import { LIBS } from './libs.js';
import { rawConnect } from './raw.js';
import { median, msSince, nowNs, type Row } from './stats.js';

export interface ConnectConfig {
  rounds: number;
  connections: number;
  concurrency: number;
}

type Opener = (i: number) => Promise<() => Promise<void>>;

async function rate(open: Opener, config: ConnectConfig): Promise<number> {
  const closers: Array<() => Promise<void>> = [];
  let next = 0;
  const t0 = nowNs();
  const worker = async (): Promise<void> => {
    while (next < config.connections) closers.push(await open(next++));
  };
  await Promise.all(Array.from({ length: config.concurrency }, worker));
  const perSecond = config.connections / (msSince(t0) / 1000);
  await Promise.all(closers.map((close) => close()));
  return perSecond;
}

export async function runConnectRate(
  url: string,
  port: number,
  config: ConnectConfig,
): Promise<Row[]> {
  const results = new Map<string, number[]>();
  const add = (name: string, value: number): void => {
    results.set(name, [...(results.get(name) ?? []), value]);
  };
  for (let r = 0; r < config.rounds; r++) {
    for (const lib of LIBS) {
      add(
        lib.name,
        await rate(async (i) => {
          const conn = await lib.connect(url, { clientId: `cr-${lib.name}-${r}-${i}` });
          return () => conn.end();
        }, config),
      );
    }
    add(
      'raw',
      await rate(async (i) => {
        const conn = await rawConnect(port, `cr-raw-${r}-${i}`);
        return () => conn.end();
      }, config),
    );
  }
  const label = `connect until CONNACK, ${config.concurrency} at a time (${config.connections})`;
  return [...results].map(([lib, rounds]) => ({
    case: label,
    lib,
    value: median(rounds),
    unit: 'conn/s',
    better: 'higher' as const,
    rounds,
  }));
}
