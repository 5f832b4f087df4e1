/**
 * `mqttkit bench`: one connection publishes N messages of S bytes at QoS q while a second one,
 * subscribed to the same topic, receives them. Each payload starts with its send time (a float64
 * of `performance.now()`, both connections living in this process), so the receiver measures
 * end-to-end latency through the broker.
 */
import { performance } from 'node:perf_hooks';
import type { MqttClient, PublishOptions } from '@mqttkit/client';
import type { BenchArgs } from '../args.js';
import { connectOrFail, openClient } from '../connection.js';
import { CliRuntimeError, EXIT, type ExitCode } from '../errors.js';
import type { Io } from '../io.js';

/** Publishes awaited as one batch: bounds memory without serialising every message. */
const BATCH = 500;

export interface BenchResult {
  sent: number;
  received: number;
  seconds: number;
  messagesPerSecond: number;
  megabytesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export async function bench(args: BenchArgs, io: Io): Promise<ExitCode> {
  const topic = args.topic ?? `mqttkit/bench/${Math.random().toString(16).slice(2, 10)}`;
  const url = args.connection.url;
  const subscriber = await openClient(
    args.connection,
    { reconnect: false, clientIdSuffix: '-sub' },
    io,
  );
  const publisher = await openClient(
    args.connection,
    { reconnect: false, clientIdSuffix: '-pub' },
    io,
  );
  const latencies: number[] = [];
  let lastReceivedAt = 0;
  let allReceived: () => void = () => undefined;
  const received = new Promise<void>((resolve) => {
    allReceived = resolve;
  });
  subscriber.on('message', (message) => {
    if (message.payload.length < 8) return;
    const view = new DataView(message.payload.buffer, message.payload.byteOffset, 8);
    lastReceivedAt = performance.now();
    latencies.push(lastReceivedAt - view.getFloat64(0));
    if (latencies.length >= args.count) allReceived();
  });

  let progress: ReturnType<typeof setInterval> | undefined;
  let sent = 0;
  try {
    await connectOrFail(subscriber, url, io);
    await connectOrFail(publisher, url, io);
    const [granted] = await subscriber.subscribe(topic, { qos: args.qos });
    if (!granted || granted.reasonCode >= 0x80) {
      throw new CliRuntimeError(
        `Subscription to ${topic} refused (reason code ${granted?.reasonCode})`,
      );
    }
    if (io.stderrIsTTY) {
      progress = setInterval(() => {
        io.stderr.write(`\rsent ${sent}/${args.count} received ${latencies.length}/${args.count}`);
      }, 200);
    }
    const deadline = performance.now() + args.timeoutSeconds * 1000;
    const started = performance.now();
    const options: PublishOptions = { qos: args.qos };
    if (Object.keys(args.connection.properties.publish).length > 0) {
      options.properties = args.connection.properties.publish;
    }
    await publishAll(publisher, topic, args, options, () => sent++, io);
    // QoS 0 may lose messages: stop waiting at the deadline or after 2 s without one arriving.
    while (latencies.length < args.count && performance.now() < deadline && !io.interrupt.aborted) {
      const before = latencies.length;
      await Promise.race([
        received,
        sleep(Math.min(2000, Math.max(0, deadline - performance.now()))),
      ]);
      if (latencies.length === before) break;
    }
    const result = summarize(sent, latencies, args.size, started, lastReceivedAt);
    if (progress) io.stderr.write('\n');
    io.stdout.write(table(args, topic, result));
    if (args.qos > 0 && result.received < args.count) {
      throw new CliRuntimeError(
        `${args.count - result.received} of ${args.count} QoS ${args.qos} messages did not arrive`,
      );
    }
    return EXIT.ok;
  } finally {
    if (progress) clearInterval(progress);
    await Promise.all([
      publisher.end().catch(() => undefined),
      subscriber.end().catch(() => undefined),
    ]);
  }
}

async function publishAll(
  publisher: MqttClient,
  topic: string,
  args: BenchArgs,
  options: PublishOptions,
  onSent: () => void,
  io: Io,
): Promise<void> {
  let batch: Promise<unknown>[] = [];
  for (let i = 0; i < args.count && !io.interrupt.aborted; i++) {
    const payload = new Uint8Array(args.size);
    new DataView(payload.buffer).setFloat64(0, performance.now());
    batch.push(publisher.publish(topic, payload, options).then(onSent));
    if (batch.length >= BATCH) {
      await Promise.all(batch);
      batch = [];
    }
  }
  await Promise.all(batch);
}

/** Rates over first send to last receive; latency percentiles by nearest rank. */
export function summarize(
  sent: number,
  latencies: readonly number[],
  size: number,
  startedAt: number,
  lastReceivedAt: number,
): BenchResult {
  const sorted = [...latencies].sort((a, b) => a - b);
  const seconds = sorted.length > 0 ? Math.max(lastReceivedAt - startedAt, 1e-3) / 1000 : 0;
  const rank = (p: number): number =>
    sorted.length === 0
      ? Number.NaN
      : sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
  return {
    sent,
    received: sorted.length,
    seconds,
    messagesPerSecond: seconds > 0 ? sorted.length / seconds : 0,
    megabytesPerSecond: seconds > 0 ? (sorted.length * size) / seconds / 1e6 : 0,
    p50Ms: rank(0.5),
    p99Ms: rank(0.99),
    maxMs: sorted.length === 0 ? Number.NaN : sorted[sorted.length - 1]!,
  };
}

function table(args: BenchArgs, topic: string, r: BenchResult): string {
  const rows: Array<[string, string]> = [
    ['topic', topic],
    ['qos', String(args.qos)],
    ['payload bytes', String(args.size)],
    ['sent', String(r.sent)],
    ['received', String(r.received)],
    ['seconds', r.seconds.toFixed(3)],
    ['messages/s', r.messagesPerSecond.toFixed(0)],
    ['MB/s', r.megabytesPerSecond.toFixed(2)],
    ['latency p50 ms', r.p50Ms.toFixed(2)],
    ['latency p99 ms', r.p99Ms.toFixed(2)],
    ['latency max ms', r.maxMs.toFixed(2)],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return `${rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n')}\n`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
