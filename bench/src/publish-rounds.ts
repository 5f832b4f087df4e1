// One publish case measured across parties, rounds interleaved (A, B, C, B, C, A, ...) so load
// drift on a shared machine hits each party alike: the rate and the client CPU per message of
// every round. The throughput part and the logger part both measure this way.
import type { QoS } from './libs.js';
import { median, type Row } from './stats.js';

export interface PublishCase {
  key: string;
  qos: QoS;
  size: number;
  label: string;
}

export const PUBLISH_CASES: readonly PublishCase[] = [
  { key: 'q0-64', qos: 0, size: 64, label: 'publish QoS 0, 64 B' },
  { key: 'q0-16k', qos: 0, size: 16_384, label: 'publish QoS 0, 16 KiB' },
  { key: 'q1-64', qos: 1, size: 64, label: 'publish QoS 1, 64 B' },
  { key: 'q1-16k', qos: 1, size: 16_384, label: 'publish QoS 1, 16 KiB' },
  { key: 'q2-64', qos: 2, size: 64, label: 'publish QoS 2, 64 B' },
  { key: 'q2-16k', qos: 2, size: 16_384, label: 'publish QoS 2, 16 KiB' },
];

/** What a party must do to be measured here: one round of `n` messages, resolving msg/s. */
export interface PublishParty {
  readonly name: string;
  publishRound(topic: string, payload: Buffer, qos: QoS, n: number): Promise<number>;
}

export interface CaseRounds {
  /** msg/s of each round, by party name. */
  rates: Map<string, number[]>;
  /** Client CPU (user + system, µs) per message of each round, by party name. */
  cpu: Map<string, number[]>;
}

/** Lets each party's hot paths get compiled before anything is timed. */
export async function warmUp(parties: readonly PublishParty[], tag: string): Promise<void> {
  for (const p of parties) {
    for (const qos of [0, 1, 2] as const) {
      await p.publishRound(`bench/warm/${tag}/${p.name}/${qos}`, Buffer.alloc(64, 1), qos, 2000);
    }
  }
}

export async function measurePublishCase(
  parties: readonly PublishParty[],
  c: PublishCase,
  n: number,
  rounds: number,
  tag: string,
): Promise<CaseRounds> {
  const payload = Buffer.alloc(c.size, 0x61);
  return interleaveRounds(parties, n, rounds, (p, r) =>
    p.publishRound(`bench/${tag}/${c.key}/${p.name}/${r}`, payload, c.qos, n),
  );
}

/**
 * Runs `round` for every party `rounds` times, interleaved, and takes of each round its rate
 * (what `round` resolves) and this process's CPU per message (`n` messages a round).
 */
export async function interleaveRounds<P extends { readonly name: string }>(
  parties: readonly P[],
  n: number,
  rounds: number,
  round: (party: P, r: number) => Promise<number>,
): Promise<CaseRounds> {
  const rates = new Map<string, number[]>();
  const cpu = new Map<string, number[]>();
  for (let r = 0; r < rounds; r++) {
    // The order rotates each round (A B C, B C A, ...): whoever goes first after a case starts,
    // or right after a given party, would otherwise pay for that in every round.
    for (let i = 0; i < parties.length; i++) {
      const p = parties[(i + r) % parties.length] as P;
      // This process runs every party; the others sit idle meanwhile.
      const cpu0 = process.cpuUsage();
      const rate = await round(p, r);
      const used = process.cpuUsage(cpu0);
      rates.set(p.name, [...(rates.get(p.name) ?? []), rate]);
      cpu.set(p.name, [...(cpu.get(p.name) ?? []), (used.user + used.system) / n]);
    }
  }
  return { rates, cpu };
}

/** The client-CPU-per-message rows of one case, one per party. */
export function cpuRows(
  c: Pick<PublishCase, 'label'>,
  cpu: CaseRounds['cpu'],
  what = 'client CPU per message (pub + sub)',
): Row[] {
  return [...cpu].map(([lib, rounds]) => ({
    case: `${c.label}: ${what}`,
    lib,
    value: median(rounds),
    unit: 'µs',
    better: 'lower' as const,
    rounds,
  }));
}
