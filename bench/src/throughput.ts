// Publish throughput (one publisher to one subscriber, counted at the subscriber) and receive
// throughput (a subscriber draining a retained backlog, or fed by a raw publisher), for each
// client and the raw ceiling, rounds interleaved so load drift hits every client alike.
import type { BenchConn, BenchLib, QoS } from './libs.js';
import { cpuRows, measurePublishCase, PUBLISH_CASES, warmUp } from './publish-rounds.js';
import { pump } from './pump.js';
import { encodePublishes, type RawConn, rawConnect } from './raw.js';
import { rawPumpAcked } from './raw-pump.js';
import { median, msSince, nowNs, type Row } from './stats.js';

export interface ThroughputConfig {
  /** The clients measured beside each other (the raw ceiling is added when `raw`). */
  libs: readonly BenchLib[];
  raw: boolean;
  /** Case keys to run (`q0-64`..., `receive`); all when empty. */
  cases: readonly string[];
  rounds: number;
  /** Messages per round by case key, e.g. `q0-64`. */
  n: Record<string, number>;
  receiveN: number;
  timeoutMs: number;
}

export interface Party {
  name: string;
  /** Runs one round of `n` messages on a fresh topic; resolves with messages/s. */
  publishRound(topic: string, payload: Buffer, qos: QoS, n: number): Promise<number>;
  /** The subscriber drains `n` retained messages under `prefix/`. */
  retainedRound(prefix: string, n: number, feeder: RawConn): Promise<number>;
  /** A raw publisher blasts `n` QoS 0 messages at the subscriber. */
  blastRound(topic: string, payload: Buffer, n: number, feeder: RawConn): Promise<number>;
  close(): Promise<void>;
}

const BLOCK = 500;
/**
 * Keepalive of the raw connections: off. They sit idle while the other parties' rounds run and
 * never send PINGREQ, so with a keepalive mosquitto closes them after 1.5 times it of
 * silence (MQTT 5 [MQTT-3.1.2-22]); on a loaded machine the publish cases outlast that, and the
 * receive cases then waited forever on a closed feeder.
 */
const NO_KEEPALIVE = 0;
/** Publishes unfinished at most: QoS 0 accepted by the client, QoS 1/2 not yet PUBACK/PUBCOMP. */
const QOS0_WINDOW = 1000;
const QOS12_WINDOW = 100;

/** Writes `n` pre-encoded copies in blocks of BLOCK, honouring backpressure. */
async function writeAll(conn: RawConn, block: Buffer, tail: Buffer, n: number): Promise<void> {
  for (let i = 0; i + BLOCK <= n; i += BLOCK) await conn.write(block);
  if (n % BLOCK) await conn.write(tail);
}

/** Makes mosquitto finish everything the feeder sent before (it handles one client in order). */
async function barrier(feeder: RawConn): Promise<void> {
  const { encode } = await import('@mqttkit/codec');
  const acked = feeder.nextPuback();
  feeder.socket.write(
    encode(
      {
        cmd: 'publish',
        topic: 'bench/barrier',
        payload: new Uint8Array(0),
        qos: 1,
        packetId: 7,
        retain: false,
        dup: false,
      },
      { protocolVersion: 5 },
    ),
  );
  await acked;
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not done within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Ends every connection of a part, bounded: a client whose end() never settles (after a failed
 * round, say) must neither hang the run nor hide why the round failed, which is logged first.
 */
export async function closeAfter(
  failure: unknown,
  closing: Promise<unknown>,
  log: (line: string) => void,
): Promise<void> {
  if (failure !== undefined) log(`  failed: ${String(failure)}`);
  await within(closing, 10_000, 'closing the connections').catch((error: unknown) => {
    log(`  ${String(error)}`);
  });
}

export async function libParty(
  lib: BenchLib,
  url: string,
  tag: string,
  timeoutMs: number,
): Promise<Party> {
  const pub: BenchConn = await lib.connect(url, { clientId: `${tag}-pub` });
  const sub: BenchConn = await lib.connect(url, { clientId: `${tag}-sub` });
  let onTopic: (topic: string) => void = () => {};
  sub.onMessage((topic) => onTopic(topic));
  const count = (n: number, match: (topic: string) => boolean, what: string): Promise<void> => {
    let got = 0;
    let finish: () => void = () => {};
    const done = new Promise<void>((resolve) => {
      finish = resolve;
    });
    onTopic = (topic) => {
      if (match(topic) && ++got === n) finish();
    };
    return within(done, timeoutMs, `${lib.name} ${what}`).catch((error: unknown) => {
      throw new Error(`${String(error)} (lost messages: ${got} of ${n} arrived)`);
    });
  };
  return {
    name: lib.name,
    async publishRound(topic, payload, qos, n) {
      await sub.subscribe(topic, qos);
      const arrived = count(n, (t) => t === topic, topic);
      const t0 = nowNs();
      await Promise.all([
        pump(pub, topic, payload, qos, n, qos === 0 ? QOS0_WINDOW : QOS12_WINDOW),
        arrived,
      ]);
      return n / (msSince(t0) / 1000);
    },
    async retainedRound(prefix, n, feeder) {
      await within(barrier(feeder), timeoutMs, `${prefix} barrier`);
      const arrived = count(n, (t) => t.startsWith(prefix), prefix);
      const t0 = nowNs();
      await sub.subscribe(`${prefix}#`, 0);
      await arrived;
      return n / (msSince(t0) / 1000);
    },
    async blastRound(topic, payload, n, feeder) {
      await sub.subscribe(topic, 0);
      const arrived = count(n, (t) => t === topic, topic);
      const block = encodePublishes(topic, payload, BLOCK);
      const tail = encodePublishes(topic, payload, n % BLOCK);
      const t0 = nowNs();
      await Promise.all([writeAll(feeder, block, tail, n), arrived]);
      return n / (msSince(t0) / 1000);
    },
    async close() {
      await Promise.all([pub.end(), sub.end()]);
    },
  };
}

export async function rawParty(port: number, tag: string, timeoutMs: number): Promise<Party> {
  const pub = await rawConnect(port, `${tag}-pub`, NO_KEEPALIVE);
  const sub = await rawConnect(port, `${tag}-sub`, NO_KEEPALIVE);
  let onCount: (count: number) => void = () => {};
  sub.onPublishes((c) => onCount(c));
  const count = (n: number, what: string): Promise<void> => {
    let got = 0;
    let finish: () => void = () => {};
    const done = new Promise<void>((resolve) => {
      finish = resolve;
    });
    onCount = (c) => {
      got += c;
      if (got >= n) finish();
    };
    return within(done, timeoutMs, `raw ${what}`).catch((error: unknown) => {
      throw new Error(`${String(error)} (lost messages: ${got} of ${n} arrived)`);
    });
  };
  return {
    name: 'raw',
    async publishRound(topic, payload, qos, n) {
      await sub.subscribe(topic, qos);
      if (qos === 0) {
        const block = encodePublishes(topic, payload, BLOCK);
        const tail = encodePublishes(topic, payload, n % BLOCK);
        const arrived = count(n, topic);
        const t0 = nowNs();
        await Promise.all([writeAll(pub, block, tail, n), arrived]);
        return n / (msSince(t0) / 1000);
      }
      const arrived = count(n, topic);
      const t0 = nowNs();
      const acked = rawPumpAcked(pub, topic, payload, qos, n, QOS12_WINDOW);
      await Promise.all([within(acked, timeoutMs, `raw QoS ${qos} ${topic} acks`), arrived]);
      return n / (msSince(t0) / 1000);
    },
    async retainedRound(prefix, n, feeder) {
      await within(barrier(feeder), timeoutMs, `${prefix} barrier`);
      const arrived = count(n, prefix);
      const t0 = nowNs();
      await sub.subscribe(`${prefix}#`, 0);
      await arrived;
      return n / (msSince(t0) / 1000);
    },
    async blastRound(topic, payload, n, feeder) {
      await sub.subscribe(topic, 0);
      const block = encodePublishes(topic, payload, BLOCK);
      const tail = encodePublishes(topic, payload, n % BLOCK);
      const arrived = count(n, topic);
      const t0 = nowNs();
      await Promise.all([writeAll(feeder, block, tail, n), arrived]);
      return n / (msSince(t0) / 1000);
    },
    async close() {
      await Promise.all([pub.end(), sub.end()]);
    },
  };
}

export async function runThroughput(
  url: string,
  port: number,
  config: ThroughputConfig,
  log: (line: string) => void,
): Promise<Row[]> {
  const parties: Party[] = [];
  for (const lib of config.libs)
    parties.push(await libParty(lib, url, `tp-${lib.name}`, config.timeoutMs));
  if (config.raw) parties.push(await rawParty(port, 'tp-raw', config.timeoutMs));
  const feeder = await rawConnect(port, 'tp-feeder', NO_KEEPALIVE);
  const rows: Row[] = [];
  const record = (label: string, lib: string, rounds: number[]): void => {
    rows.push({ case: label, lib, value: median(rounds), unit: 'msg/s', better: 'higher', rounds });
  };
  const wants = (key: string): boolean => config.cases.length === 0 || config.cases.includes(key);
  let failure: unknown;
  try {
    await warmUp(parties, 'tp');
    for (const c of PUBLISH_CASES.filter((x) => wants(x.key))) {
      const n = config.n[c.key] ?? 1000;
      const { rates, cpu } = await measurePublishCase(parties, c, n, config.rounds, 'tp');
      for (const [lib, rounds] of rates) record(`${c.label} (${n})`, lib, rounds);
      rows.push(...cpuRows(c, cpu));
      log(`  ${c.label}: done`);
    }
    if (!wants('receive')) return rows;
    const n = config.receiveN;
    const payload = Buffer.alloc(64, 0x62);
    const retained = new Map<string, number[]>();
    const blast = new Map<string, number[]>();
    for (let r = 0; r < config.rounds; r++) {
      for (const p of parties) {
        const prefix = `bench/ret/${p.name}/${r}/`;
        const backlog = encodePublishes('', payload, n, true, (i) => `${prefix}${i}`);
        await within(feeder.write(backlog), config.timeoutMs, `${prefix} backlog`);
        retained.set(p.name, [
          ...(retained.get(p.name) ?? []),
          await p.retainedRound(prefix, n, feeder),
        ]);
        blast.set(p.name, [
          ...(blast.get(p.name) ?? []),
          await p.blastRound(`bench/blast/${p.name}/${r}`, payload, n, feeder),
        ]);
      }
    }
    for (const [lib, rounds] of retained)
      record(`receive retained backlog, 64 B (${n})`, lib, rounds);
    for (const [lib, rounds] of blast)
      record(`receive from raw publisher, 64 B (${n})`, lib, rounds);
    log('  receive: done');
  } catch (error) {
    failure = error;
    throw error;
  } finally {
    await closeAfter(failure, Promise.all([...parties.map((p) => p.close()), feeder.end()]), log);
  }
  return rows;
}
