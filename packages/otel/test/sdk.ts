// The real OpenTelemetry SDK as an application would set it up, exporting to memory.

import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  type Sampler,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

let contextManager: AsyncLocalStorageContextManager | undefined;

/** Async context across `await`, as a Node application registers it (once per process). */
export function useAsyncContext(): void {
  if (contextManager) return;
  contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
}

export interface TestSdk {
  readonly tracerProvider: BasicTracerProvider;
  readonly spans: InMemorySpanExporter;
  readonly propagator: W3CTraceContextPropagator;
  finished(): ReadableSpan[];
  byName(name: string): ReadableSpan[];
}

export function tracingSdk(sampler?: Sampler): TestSdk {
  useAsyncContext();
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(spans)],
    ...(sampler ? { sampler } : {}),
  });
  return {
    tracerProvider,
    spans,
    propagator: new W3CTraceContextPropagator(),
    finished: () => spans.getFinishedSpans(),
    byName: (name) => spans.getFinishedSpans().filter((s) => s.name === name),
  };
}

export function metricsSdk(): {
  meterProvider: MeterProvider;
  exporter: InMemoryMetricExporter;
  reader: PeriodicExportingMetricReader;
} {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  // A long interval: the test collects by calling forceFlush.
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
  const meterProvider = new MeterProvider({ readers: [reader] });
  return { meterProvider, exporter, reader };
}
