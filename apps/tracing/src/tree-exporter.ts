// A console exporter that prints traces as trees: each span under its parent, indented, with
// its kind, duration and the attributes that tell a message's path. The SDK's own
// ConsoleSpanExporter prints one object per span, in the order they end (children first);
// a tree reads in the order things happened.
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

const KINDS = ['INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'];
const SHOWN = [
  'messaging.client.id',
  'messaging.destination.name',
  'messaging.consumer.group.name',
  'messaging.mqtt.qos',
  'messaging.mqtt.reason_code',
  'error.type',
];

export class TreeConsoleExporter implements SpanExporter {
  readonly #spans: ReadableSpan[] = [];
  readonly #print: (line: string) => void;

  constructor(print: (line: string) => void = (line) => console.log(line)) {
    this.#print = print;
  }

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.#spans.push(...spans);
    done({ code: ExportResultCode.SUCCESS });
  }

  /** Prints every trace collected so far, oldest first, and forgets them. */
  async forceFlush(): Promise<void> {
    const spans = this.#spans.splice(0);
    const ids = new Set(spans.map((s) => s.spanContext().spanId));
    const children = new Map<string, ReadableSpan[]>();
    const roots: ReadableSpan[] = [];
    for (const span of spans) {
      const parent = span.parentSpanContext?.spanId;
      if (parent === undefined || !ids.has(parent)) roots.push(span);
      else children.set(parent, [...(children.get(parent) ?? []), span]);
    }
    const byStart = (a: ReadableSpan, b: ReadableSpan): number =>
      toMs(a.startTime) - toMs(b.startTime);
    const walk = (span: ReadableSpan, prefix: string, last: boolean, depth: number): void => {
      const branch = depth === 0 ? '' : last ? '└─ ' : '├─ ';
      this.#print(`${prefix}${branch}${describe(span)}`);
      const next = depth === 0 ? prefix : `${prefix}${last ? '   ' : '│  '}`;
      const kids = (children.get(span.spanContext().spanId) ?? []).sort(byStart);
      for (const [i, kid] of kids.entries()) walk(kid, next, i === kids.length - 1, depth + 1);
    };
    for (const root of roots.sort(byStart)) {
      this.#print(`trace ${root.spanContext().traceId}`);
      walk(root, '  ', true, 0);
    }
  }

  async shutdown(): Promise<void> {
    await this.forceFlush();
  }
}

function toMs([seconds, nanos]: [number, number]): number {
  return seconds * 1000 + nanos / 1e6;
}

function describe(span: ReadableSpan): string {
  const details = SHOWN.filter((key) => span.attributes[key] !== undefined).map(
    (key) => `${key.replace(/^messaging\.(mqtt\.)?/, '')}=${String(span.attributes[key])}`,
  );
  const status = span.status.code === 2 ? ' ERROR' : '';
  const took = toMs(span.duration).toFixed(1);
  return `${span.name} [${KINDS[span.kind] ?? span.kind}] ${took} ms${status}  ${details.join(' ')}`.trimEnd();
}
