// The client-bound part (`pnpm bench --only client-bound`): every party against the bench's own
// peer (`peer.ts`), a process that answers acks and streams pre-encoded PUBLISHes and is never the
// bottleneck, so the rates are set by the client. Publish and receive at QoS 0/1/2, 64 B and
// 16 KiB; per case the rate, this process's CPU per message, the heap it allocated per message
// (one extra sampled round) and the share of a core the peer used, rounds interleaved.
import { sampleAllocations } from './allocation-sampler.js';
import { type BoundParty, libBoundParty, rawBoundParty } from './client-bound-parties.js';
import type { BenchLib } from './libs.js';
import { type PeerHandle, startPeer } from './peer.js';
import type { StreamRequest } from './peer-connection.js';
import { cpuRows, interleaveRounds, PUBLISH_CASES, type PublishCase } from './publish-rounds.js';
import { median, msSince, nowNs, type Row } from './stats.js';
import { closeAfter } from './throughput.js';

export interface ClientBoundConfig {
  libs: readonly BenchLib[];
  raw: boolean;
  /** Case keys (`q0-64`, `receive-q0-64`, `receive` for every receive case); all when empty. */
  cases: readonly string[];
  rounds: number;
  /** Messages per round by payload size. */
  n: { small: number; large: number };
  /** Messages of each warm-up round (64 B, every QoS and direction, before anything is timed). */
  warmUpN: number;
  timeoutMs: number;
}

/** Operations unfinished at most: publishes not yet accepted (QoS 0) or acknowledged, or
 * PUBLISHes the peer streams not yet acknowledged (QoS 1/2). */
export const WINDOW = 1000;

interface BoundCase extends PublishCase {
  direction: 'publish' | 'receive';
}

export const CLIENT_BOUND_CASES: readonly BoundCase[] = PUBLISH_CASES.flatMap((c) => [
  { ...c, direction: 'publish' as const },
  {
    ...c,
    key: `receive-${c.key}`,
    label: c.label.replace('publish', 'receive'),
    direction: 'receive' as const,
  },
]);

const wanted = (c: BoundCase, keys: readonly string[]): boolean =>
  keys.length === 0 ||
  keys.includes(c.key) ||
  (c.direction === 'receive' && keys.includes('receive'));

function roundOf(c: BoundCase, n: number, tag: string) {
  const payload = Buffer.alloc(c.size, 0x61);
  const request: StreamRequest = { qos: c.qos, size: c.size, n, window: WINDOW };
  return (p: BoundParty, r: number | string): Promise<number> =>
    c.direction === 'publish'
      ? p.publishRound(`bench/bound/${tag}/${c.key}/${p.name}/${r}`, payload, c.qos, n, WINDOW)
      : p.receiveRound(request, `${tag}/${p.name}/${r}`);
}

export async function runClientBound(
  config: ClientBoundConfig,
  log: (line: string) => void,
): Promise<Row[]> {
  const peer: PeerHandle = await startPeer();
  log('  peer started');
  const parties: BoundParty[] = [];
  const rows: Row[] = [];
  let failure: unknown;
  try {
    for (const lib of config.libs)
      parties.push(await libBoundParty(lib, peer, 'bound', config.timeoutMs));
    if (config.raw) parties.push(await rawBoundParty(peer, 'bound', config.timeoutMs));
    for (const c of CLIENT_BOUND_CASES.filter((x) => x.size === 64 && config.warmUpN > 0))
      for (const p of parties) await roundOf(c, config.warmUpN, 'warm')(p, 'warm');
    for (const c of CLIENT_BOUND_CASES.filter((x) => wanted(x, config.cases))) {
      const n = c.size > 1024 ? config.n.large : config.n.small;
      const round = roundOf(c, n, 'tp');
      const peerShare = new Map<string, number[]>();
      const { rates, cpu } = await interleaveRounds(parties, n, config.rounds, async (p, r) => {
        const peer0 = await peer.cpuMicros();
        const t0 = nowNs();
        const rate = await round(p, r);
        const wallMicros = msSince(t0) * 1000;
        const share = ((await peer.cpuMicros()) - peer0) / wallMicros;
        peerShare.set(p.name, [...(peerShare.get(p.name) ?? []), share]);
        return rate;
      });
      const label = `${c.label} (${n})`;
      for (const [lib, rounds] of rates)
        rows.push({
          case: label,
          lib,
          value: median(rounds),
          unit: 'msg/s',
          better: 'higher',
          rounds,
        });
      rows.push(...cpuRows({ label: c.label }, cpu, 'client CPU per message'));
      for (const p of parties) {
        const { total } = await sampleAllocations(() => round(p, 'alloc'), 4096);
        rows.push({
          case: `${c.label}: heap allocated per message`,
          lib: p.name,
          value: total / n,
          unit: 'B',
          better: 'lower',
          rounds: [total / n],
        });
      }
      for (const [name, rounds] of peerShare)
        rows.push({
          case: `${c.label}: peer CPU, share of one core`,
          lib: `peer, while ${name} ran`,
          value: median(rounds) * 100,
          unit: '%',
          better: 'lower',
          rounds: rounds.map((x) => x * 100),
        });
      log(`  ${c.label}: done`);
    }
  } catch (error) {
    failure = error;
    throw error;
  } finally {
    await closeAfter(failure, Promise.all(parties.map((p) => p.close())), log);
    await peer.close();
  }
  return rows;
}
