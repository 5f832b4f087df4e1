/**
 * Turns the arguments of `publish`, `subscribe` and `unsubscribe` into packets, or refuses them
 * with `InvalidArgumentError` before anything is queued or written.
 */
import {
  encode,
  type Packet,
  type PublishPacket,
  type QoS,
  type Subscription,
  validateTopic,
  validateTopicFilter,
} from '@mqttkit/codec';
import { InvalidArgumentError } from './errors.js';
import { utf8Encode } from './globals.js';
import type { AckInfo } from './session.js';
import type { PublishOptions, SubscriptionRequest } from './types.js';

export function publishPacket(
  topic: string,
  payload: string | Uint8Array,
  options: PublishOptions,
  protocolVersion: 4 | 5,
): PublishPacket {
  if (typeof topic !== 'string') throw new InvalidArgumentError('topic must be a string');
  try {
    validateTopic(topic);
  } catch (error) {
    throw new InvalidArgumentError(`invalid topic: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const qos = options.qos ?? 0;
  if (qos !== 0 && qos !== 1 && qos !== 2) throw new InvalidArgumentError('qos must be 0, 1 or 2');
  let bytes: Uint8Array;
  if (typeof payload === 'string') bytes = utf8Encode(payload);
  else if (payload instanceof Uint8Array) bytes = payload;
  else throw new InvalidArgumentError('payload must be a string or Uint8Array');
  checkV5('publish properties', options.properties, protocolVersion);
  const packet: PublishPacket = {
    cmd: 'publish',
    topic,
    payload: bytes,
    qos,
    retain: options.retain === true,
    dup: false,
  };
  if (options.properties) {
    if (options.properties.topicAlias !== undefined) {
      throw new InvalidArgumentError('topicAlias is managed by the client (outgoingTopicAliases)');
    }
    packet.properties = options.properties;
    // Properties are checked here, once, so a bad one fails this call instead of the link.
    checkEncodable({ ...packet, packetId: qos > 0 ? 1 : undefined }, protocolVersion);
  }
  return packet;
}

export function subscriptionOf(
  f: string | SubscriptionRequest,
  qos: QoS,
  protocolVersion: 4 | 5,
): Subscription {
  const req: SubscriptionRequest = typeof f === 'string' ? { topicFilter: f } : f;
  if (typeof req !== 'object' || req === null || typeof req.topicFilter !== 'string') {
    throw new InvalidArgumentError('a subscription is a filter string or { topicFilter, qos }');
  }
  checkFilter(req.topicFilter);
  const q = req.qos ?? qos;
  if (q !== 0 && q !== 1 && q !== 2) throw new InvalidArgumentError('qos must be 0, 1 or 2');
  const sub: Subscription = { topicFilter: req.topicFilter, qos: q };
  const v5 =
    req.noLocal !== undefined ||
    req.retainAsPublished !== undefined ||
    req.retainHandling !== undefined;
  if (v5) {
    if (protocolVersion !== 5) {
      throw new InvalidArgumentError('subscription options need protocolVersion 5');
    }
    if (req.noLocal !== undefined) sub.noLocal = req.noLocal;
    if (req.retainAsPublished !== undefined) sub.retainAsPublished = req.retainAsPublished;
    if (req.retainHandling !== undefined) sub.retainHandling = req.retainHandling;
  }
  return sub;
}

export function checkV5(what: string, value: unknown, protocolVersion: 4 | 5): void {
  if (value !== undefined && protocolVersion !== 5) {
    throw new InvalidArgumentError(`${what} need protocolVersion 5`);
  }
}

export function checkFilter(filter: string): void {
  if (typeof filter !== 'string') throw new InvalidArgumentError('a topic filter must be a string');
  try {
    validateTopicFilter(filter);
  } catch (error) {
    throw new InvalidArgumentError(`invalid topic filter: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

export function checkEncodable(packet: Packet, protocolVersion: 4 | 5): void {
  try {
    encode(packet, { protocolVersion });
  } catch (error) {
    throw new InvalidArgumentError(`cannot be sent: ${(error as Error).message}`, { cause: error });
  }
}

/** Copies the ack's reason string and properties onto each per-filter result. */
export function withInfo<R extends object>(result: R, info: AckInfo): R & AckInfo {
  const out: R & AckInfo = { ...result };
  if (info.reasonString !== undefined) out.reasonString = info.reasonString;
  if (info.properties !== undefined) out.properties = info.properties;
  return out;
}
