/** The options of `instrumentClient` and their defaults. */
import type { Message } from '@mqttkit/client';
import {
  type MeterProvider,
  metrics,
  propagation,
  type TextMapPropagator,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';

/**
 * A low-cardinality name for a topic: the span names use it and `messaging.destination.template`
 * carries it. `group` is the `$share` group of the subscription that matched, for consumers.
 */
export interface Destination {
  template: string;
  group?: string;
}

/** Options of `instrumentClient`. Every one is optional. */
export interface MqttInstrumentationOptions {
  /** Default: the global tracer provider (`trace.getTracerProvider()`). */
  tracerProvider?: TracerProvider;
  /** Default: the global meter provider (`metrics.getMeterProvider()`). */
  meterProvider?: MeterProvider;
  /** Default: the global propagator (`propagation`, W3C trace context once an SDK set it). */
  propagator?: TextMapPropagator;
  /**
   * The destination a topic is named by in span names. Topics often hold ids
   * (`sensors/42/temp`), and span names must not explode in cardinality, so the default names
   * none: spans are named `send` and `process`. Return a template (say, the subscription filter
   * the topic matches: `destinationFromFilters`) and they are named `send sensors/+/temp`.
   */
  destination?: (topic: string, message?: Message) => Destination | undefined;
  /**
   * MQTT 3.1.1 has no user properties: opt in to carry `traceparent`/`tracestate` as fields of a
   * payload that is a JSON object (others are left alone), and to read them from one.
   */
  jsonCarrier?: boolean;
  /**
   * How a `process` span relates to the producer's context found in the message: `parent`
   * (default: one trace from producer to consumer, and a link too) or `link` (a trace of its own
   * per delivery, linked to the producer's).
   */
  consumerContext?: 'parent' | 'link';
  /** The client identifier for `messaging.client.id` (default: none is recorded). */
  clientId?: string;
  /** The broker's URL, for `server.address`/`server.port`; only host and port are recorded. */
  server?: string;
}

/** The options with their defaults applied. */
export interface ResolvedInstrumentation {
  readonly tracerProvider: TracerProvider;
  readonly meterProvider: MeterProvider;
  readonly propagator: TextMapPropagator;
  readonly destination: (topic: string, message?: Message) => Destination | undefined;
  readonly jsonCarrier: boolean;
  readonly consumerContext: 'parent' | 'link';
  readonly common: Readonly<Record<string, string | number>>;
}

export function resolveInstrumentation(
  options: MqttInstrumentationOptions,
  common: Record<string, string | number>,
): ResolvedInstrumentation {
  return {
    tracerProvider: options.tracerProvider ?? trace.getTracerProvider(),
    meterProvider: options.meterProvider ?? metrics.getMeterProvider(),
    propagator: options.propagator ?? propagation,
    destination: options.destination ?? (() => undefined),
    jsonCarrier: options.jsonCarrier === true,
    consumerContext: options.consumerContext ?? 'parent',
    common,
  };
}
