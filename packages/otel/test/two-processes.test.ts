// The end-to-end case: publisher and subscriber are two OS processes, each with its own
// SDK, talking through mosquitto (MQTT 5). The only thing they share is the `traceparent` user
// property the broker forwards [MQTT-3.3.2-17]; the subscriber's `process` span must land in the
// publisher's trace, parented to (and linked with) its `send` span.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { hasMosquitto, type MosquittoHandle, startMosquitto } from '@mqttkit/testkit';
import { SpanKind } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const peer = fileURLToPath(new URL('./fixtures/traced-peer.ts', import.meta.url));
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const tsx = createRequire(import.meta.url).resolve('tsx');

interface ExportedSpan {
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  links: string[];
  attributes: Record<string, unknown>;
}

/** Starts a peer; resolves with its process and a promise of its lines. */
function start(
  role: 'publish' | 'subscribe',
  url: string,
): { proc: ChildProcess; lines: string[] } {
  // cwd: this package, whose tsconfig maps the workspace packages to their sources for tsx.
  const proc = spawn(process.execPath, ['--import', tsx, peer, role, url, 'plant/line-3/temp'], {
    cwd: packageDir,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  let buffered = '';
  proc.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    lines.push(...parts.filter((l) => l.trim() !== ''));
  });
  return { proc, lines };
}

async function spansOf(peerProcess: {
  proc: ChildProcess;
  lines: string[];
}): Promise<ExportedSpan[]> {
  const [code] = (await once(peerProcess.proc, 'exit')) as [number | null];
  expect(code).toBe(0);
  return JSON.parse(peerProcess.lines[peerProcess.lines.length - 1] ?? '[]') as ExportedSpan[];
}

describe.skipIf(!hasMosquitto)('two processes through mosquitto', () => {
  let broker: MosquittoHandle;
  beforeAll(async () => {
    broker = await startMosquitto();
  }, 10_000);
  afterAll(async () => {
    await broker?.close();
  });

  it('share one trace: the consumer span is parented to the producer span', async () => {
    const subscriber = start('subscribe', broker.url);
    const deadline = Date.now() + 15_000;
    while (!subscriber.lines.includes('ready')) {
      if (Date.now() > deadline || subscriber.proc.exitCode !== null) throw new Error('no ready');
      await new Promise((r) => setTimeout(r, 20));
    }
    const publisher = start('publish', broker.url);
    const [published, consumed] = await Promise.all([spansOf(publisher), spansOf(subscriber)]);

    const reading = published.find((s) => s.name === 'sensor reading');
    const send = published.find((s) => s.name === 'send');
    const process = consumed.find((s) => s.name === 'process');
    expect(send?.kind).toBe(SpanKind.PRODUCER);
    expect(process?.kind).toBe(SpanKind.CONSUMER);
    expect(send?.parentSpanId).toBe(reading?.spanId);
    expect(process?.traceId).toBe(reading?.traceId);
    expect(process?.parentSpanId).toBe(send?.spanId);
    expect(process?.links).toEqual([send?.spanId]);
    expect(process?.attributes).toMatchObject({
      'messaging.system': 'mqtt',
      'messaging.destination.name': 'plant/line-3/temp',
      'messaging.client.id': 'two-process-subscribe',
    });
  }, 30_000);
});
