// Round-trip latency of a QoS 1 request/response at a fixed low rate: the requester publishes
// to bench/req, a responder (same client library, another connection) answers on bench/res.
import { type BenchLib, LIBS, mqttjsNoDelay } from './libs.js';
import { median, percentile, type Row, sleep } from './stats.js';

export interface LatencyConfig {
  rounds: number;
  requests: number;
  ratePerSecond: number;
  timeoutMs: number;
}

async function oneRound(
  lib: BenchLib,
  url: string,
  round: number,
  config: LatencyConfig,
): Promise<number[]> {
  const tag = `lat-${lib.name}-${round}`;
  const req = `bench/req/${tag}`;
  const res = `bench/res/${tag}`;
  const requester = await lib.connect(url, { clientId: `${tag}-a` });
  const responder = await lib.connect(url, { clientId: `${tag}-b` });
  try {
    await responder.subscribe(req, 1);
    await requester.subscribe(res, 1);
    responder.onMessage((_topic, payload) => {
      responder.publish(res, payload, 1, () => {});
    });
    const sentAt = new Map<number, bigint>();
    const rtts: number[] = [];
    let finish: () => void = () => {};
    const allBack = new Promise<void>((resolve) => {
      finish = resolve;
    });
    requester.onMessage((_topic, payload) => {
      const id = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).readUInt32BE(
        0,
      );
      const t0 = sentAt.get(id);
      if (t0 === undefined) return;
      sentAt.delete(id);
      rtts.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (rtts.length === config.requests) finish();
    });
    const interval = 1000 / config.ratePerSecond;
    const start = performance.now();
    for (let i = 0; i < config.requests; i++) {
      // A fixed schedule, not "send after the reply": a slow reply does not slow the sender.
      const wait = start + i * interval - performance.now();
      if (wait > 0) await sleep(wait);
      const payload = Buffer.alloc(64);
      payload.writeUInt32BE(i, 0);
      sentAt.set(i, process.hrtime.bigint());
      requester.publish(req, payload, 1, (error) => {
        if (error) throw error;
      });
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      allBack,
      new Promise((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new Error(
                `${lib.name} latency: ${rtts.length} of ${config.requests} replies (lost messages)`,
              ),
            ),
          config.timeoutMs,
        );
      }),
    ]).finally(() => clearTimeout(timer));
    return rtts;
  } finally {
    await Promise.all([requester.end(), responder.end()]);
  }
}

export async function runLatency(url: string, config: LatencyConfig): Promise<Row[]> {
  const p50 = new Map<string, number[]>();
  const p99 = new Map<string, number[]>();
  for (let r = 0; r < config.rounds; r++) {
    // MQTT.js also with TCP_NODELAY: its default socket delays small writes (Nagle).
    for (const lib of [...LIBS, mqttjsNoDelay]) {
      const key = lib.note ? `${lib.name}\t${lib.note}` : lib.name;
      const rtts = await oneRound(lib, url, r, config);
      p50.set(key, [...(p50.get(key) ?? []), percentile(rtts, 50)]);
      p99.set(key, [...(p99.get(key) ?? []), percentile(rtts, 99)]);
    }
  }
  const label = `QoS 1 request/response at ${config.ratePerSecond}/s (${config.requests})`;
  const rows: Row[] = [];
  for (const [name, map] of [
    ['p50', p50],
    ['p99', p99],
  ] as const) {
    for (const [key, rounds] of map) {
      const [lib = key, note] = key.split('\t');
      rows.push({
        case: `${label} ${name}`,
        lib,
        value: median(rounds),
        unit: 'ms',
        better: 'lower',
        rounds,
        ...(note ? { note } : {}),
      });
    }
  }
  return rows;
}
