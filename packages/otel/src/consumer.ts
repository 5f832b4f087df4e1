/**
 * The `process` span (CONSUMER) of each delivered message: the producer's context extracted from
 * the message, the span current while the `message` listeners run (so what they publish, say a
 * `respond()`, joins the trace), ended when every listener and the promises they returned are
 * done (a `messages()` loop's: when the loop moves past the message).
 */
import type { DeliveryObserver, Message } from '@mqttkit/client';
import {
  type Attributes,
  type Context,
  context,
  type Link,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import * as A from './attributes.js';
import { type Carrier, carrierGetter, jsonObjectOf } from './carrier.js';
import type { ClientMetrics } from './metrics.js';
import type { ResolvedInstrumentation } from './options.js';
import { errorName } from './outcome.js';

/** The context of each message being processed, for `messages()` loops: see `messageContext`. */
const contexts = new WeakMap<Message, Context>();

/** The `process` span's context of `message` (to make it current in a `messages()` loop). */
export function messageContext(message: Message): Context | undefined {
  return contexts.get(message);
}

/** The client hook's `deliver`. */
export function consumerHook(
  tracer: Tracer,
  metrics: ClientMetrics,
  settings: ResolvedInstrumentation,
): (message: Message) => DeliveryObserver {
  return (message) => {
    const destination = settings.destination(message.topic, message);
    const name = destination === undefined ? 'process' : `process ${destination.template}`;
    const creation = extract(message, settings);
    const creationSpan = creation === undefined ? undefined : trace.getSpanContext(creation);
    const links: Link[] = creationSpan === undefined ? [] : [{ context: creationSpan }];
    const parent =
      creation !== undefined && settings.consumerContext === 'parent' ? creation : context.active();
    const span = tracer.startSpan(name, { kind: SpanKind.CONSUMER, links }, parent);
    if (span.isRecording()) span.setAttributes(processAttributes(message, destination, settings));
    const active = trace.setSpan(parent, span);
    contexts.set(message, active);
    const started = performance.now();
    return {
      run: (deliver) => context.with(active, deliver),
      settled(errors) {
        const failed = errors.length > 0;
        metrics.consumed(
          (performance.now() - started) / 1000,
          destination?.template,
          failed ? errorName(errors[0]) : undefined,
        );
        if (failed && span.isRecording()) {
          for (const error of errors)
            span.recordException(error instanceof Error ? error : String(error));
          span.setAttribute(A.ATTR_ERROR_TYPE, errorName(errors[0]));
          span.setStatus({ code: SpanStatusCode.ERROR, message: 'a message listener failed' });
        }
        span.end();
      },
    };
  };
}

/** The producer's context carried by the message, when it carries one. */
function extract(message: Message, settings: ResolvedInstrumentation): Context | undefined {
  let carrier: Carrier | undefined = message.properties?.userProperties;
  if (carrier === undefined && settings.jsonCarrier) carrier = jsonObjectOf(message.payload);
  if (carrier === undefined || carrier.traceparent === undefined) return undefined;
  const extracted = settings.propagator.extract(ROOT_CONTEXT, carrier, carrierGetter);
  return trace.getSpanContext(extracted) === undefined ? undefined : extracted;
}

function processAttributes(
  message: Message,
  destination: { template: string; group?: string } | undefined,
  settings: ResolvedInstrumentation,
): Attributes {
  const attributes: Attributes = {
    ...settings.common,
    [A.ATTR_OPERATION_NAME]: 'process',
    [A.ATTR_OPERATION_TYPE]: 'process',
    [A.ATTR_DESTINATION_NAME]: message.topic,
    [A.ATTR_BODY_SIZE]: message.payload.length,
    [A.ATTR_MQTT_QOS]: message.qos,
    [A.ATTR_MQTT_RETAIN]: message.retain,
    [A.ATTR_MQTT_DUP]: message.dup,
  };
  if (message.packetId !== undefined) attributes[A.ATTR_MQTT_PACKET_ID] = message.packetId;
  if (destination !== undefined) {
    attributes[A.ATTR_DESTINATION_TEMPLATE] = destination.template;
    if (destination.group !== undefined) attributes[A.ATTR_CONSUMER_GROUP] = destination.group;
  }
  return attributes;
}
