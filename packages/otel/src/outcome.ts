/** What a publish's end says, as attributes: the broker's reason code, or why it failed. */
import type { PublishOutcome } from '@mqttkit/client';
import type { Attributes } from '@opentelemetry/api';
import * as A from './attributes.js';

/** The fields of the client's errors this reads (their `code` is stable). */
interface ErrorFields {
  code?: unknown;
  reasonCode?: unknown;
  packetId?: unknown;
  inflight?: unknown;
  reason?: { type?: unknown };
}

export function outcomeAttributes(outcome: PublishOutcome): Attributes {
  if (outcome.type === 'completed') {
    const { result } = outcome;
    const out: Attributes = { [A.ATTR_MQTT_REASON_CODE]: result.reasonCode };
    if (result.packetId !== undefined) out[A.ATTR_MQTT_PACKET_ID] = result.packetId;
    return out;
  }
  const error = (
    typeof outcome.error === 'object' && outcome.error !== null ? outcome.error : {}
  ) as ErrorFields;
  const out: Attributes = {
    [A.ATTR_ERROR_TYPE]: typeof error.code === 'string' ? error.code : errorName(outcome.error),
  };
  // PublishRefusedError: the failure reason code (0x87 Not authorized...).
  if (typeof error.reasonCode === 'number') out[A.ATTR_MQTT_REASON_CODE] = error.reasonCode;
  if (typeof error.packetId === 'number') out[A.ATTR_MQTT_PACKET_ID] = error.packetId;
  // ConnectionClosedError: the link was lost with the publish pending.
  if (typeof error.reason?.type === 'string') out[A.ATTR_MQTT_CLOSE_REASON] = error.reason.type;
  if (typeof error.inflight === 'boolean') out[A.ATTR_MQTT_INFLIGHT] = error.inflight;
  return out;
}

/** `error.type` of an error without a `code`: its class name, as the conventions suggest. */
export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : '_OTHER';
}
