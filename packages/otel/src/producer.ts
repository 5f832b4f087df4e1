/**
 * The `send` span (PRODUCER) of each publish: started in the caller's context, its context
 * injected into the message, ended when the publish settles (QoS 0: written; QoS 1/2: the flow
 * completed, refused, or lost with the link).
 */
import type { OutgoingPublish, PublishObserver, PublishOutcome } from '@mqttkit/client';
import {
  type Attributes,
  type Context,
  context,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import * as A from './attributes.js';
import { carrierSetter, jsonObjectOf, userPropertiesCarrier } from './carrier.js';
import type { ClientMetrics } from './metrics.js';
import type { ResolvedInstrumentation } from './options.js';
import { outcomeAttributes } from './outcome.js';

/** The client hook's `publish`: a span per publish, its context injected, its end recorded. */
export function producerHook(
  tracer: Tracer,
  metrics: ClientMetrics,
  settings: ResolvedInstrumentation,
): (outgoing: OutgoingPublish) => PublishObserver {
  return (outgoing) => {
    const destination = settings.destination(outgoing.topic);
    const name = destination === undefined ? 'send' : `send ${destination.template}`;
    const parent = context.active();
    const span = tracer.startSpan(name, { kind: SpanKind.PRODUCER }, parent);
    if (span.isRecording())
      span.setAttributes(sendAttributes(outgoing, destination?.template, settings));
    inject(outgoing, trace.setSpan(parent, span), settings);
    const started = performance.now();
    return {
      settled(outcome) {
        metrics.sent(outcome, (performance.now() - started) / 1000, destination?.template);
        end(span, outcome);
      },
    };
  };
}

function sendAttributes(
  outgoing: OutgoingPublish,
  template: string | undefined,
  settings: ResolvedInstrumentation,
): Attributes {
  const { options, payload } = outgoing;
  const attributes: Attributes = {
    ...settings.common,
    [A.ATTR_OPERATION_NAME]: 'send',
    [A.ATTR_OPERATION_TYPE]: 'send',
    [A.ATTR_DESTINATION_NAME]: outgoing.topic,
    [A.ATTR_MQTT_QOS]: options.qos ?? 0,
    [A.ATTR_MQTT_RETAIN]: options.retain === true,
    [A.ATTR_MQTT_PROTOCOL_VERSION]: outgoing.protocolVersion,
    [A.ATTR_BODY_SIZE]:
      typeof payload === 'string' ? new TextEncoder().encode(payload).length : payload.length,
  };
  if (template !== undefined) attributes[A.ATTR_DESTINATION_TEMPLATE] = template;
  return attributes;
}

/** Puts the span's context into the message: user properties (5), or a JSON payload (3.1.1). */
function inject(outgoing: OutgoingPublish, ctx: Context, settings: ResolvedInstrumentation): void {
  if (outgoing.protocolVersion === 5) {
    const properties = outgoing.options.properties;
    const carrier = userPropertiesCarrier(properties?.userProperties);
    settings.propagator.inject(ctx, carrier, carrierSetter);
    outgoing.options = {
      ...outgoing.options,
      properties: { ...properties, userProperties: carrier as Record<string, string> },
    };
    return;
  }
  if (!settings.jsonCarrier) return;
  const body = jsonObjectOf(outgoing.payload);
  if (body === undefined) return;
  settings.propagator.inject(ctx, body, carrierSetter);
  outgoing.payload = JSON.stringify(body);
}

function end(span: Span, outcome: PublishOutcome): void {
  if (span.isRecording()) {
    span.setAttributes(outcomeAttributes(outcome));
    if (outcome.type === 'failed') {
      span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(outcome.error) });
    }
  }
  span.end();
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
