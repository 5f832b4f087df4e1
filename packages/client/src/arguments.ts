/**
 * Turns the arguments of `publish`, `subscribe` and `unsubscribe` into packets, or refuses them
 * with `InvalidArgumentError` before anything is queued or written. SUBSCRIBE and UNSUBSCRIBE are
 * checked by encoding them once (`checkEncodable`): the codec already refuses a bad filter or QoS
 * with a message naming the field, so they are not checked twice.
 */
import {
  encode,
  type Packet,
  type PublishPacket,
  type QoS,
  type Subscription,
  validateTopic,
} from '@mqttkit/codec/client';
import { InvalidArgumentError } from './errors.js';
import { utf8Encode } from './globals.js';
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
    // The codec's message already says which rule the topic broke ("Invalid topic name: ...").
    throw new InvalidArgumentError((error as Error).message, { cause: error });
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
  // The filter and the QoS are checked with the whole SUBSCRIBE, by encoding it (checkEncodable).
  const sub: Subscription = { topicFilter: req.topicFilter, qos: req.qos ?? qos };
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

export function checkEncodable(packet: Packet, protocolVersion: 4 | 5): void {
  try {
    encode(packet, { protocolVersion });
  } catch (error) {
    throw new InvalidArgumentError(`cannot be sent: ${(error as Error).message}`, { cause: error });
  }
}
