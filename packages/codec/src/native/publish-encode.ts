/**
 * PUBLISH bytes written directly, for the shapes nearly every PUBLISH has: no properties, or
 * under MQTT 5 a Topic Alias alone (`encodesPublish`). The bytes are mqtt-packet's for the same
 * packet (test/publish-bytes.test.ts and test/differential.test.ts hold them to that). Expects a
 * checked packet.
 */

import { remainingLengthSize, writeRemainingLength } from '../framing/remaining-length.js';
import {
  MAX_REMAINING_LENGTH,
  type ProtocolVersion,
  type PublishPacket,
} from '../model/packets.js';
import { allocate } from './slab.js';

const TOPIC_ALIAS = 0x23;

// Created on first use (see utf8.ts): only non-ASCII topics need it.
let encoder: InstanceType<typeof TextEncoder> | undefined;

/** The Topic Alias when it is the only property set, 0 for none at all, -1 for anything else. */
function aliasOnly(p: PublishPacket, v: ProtocolVersion): number {
  const props = p.properties;
  if (props === undefined) return 0;
  if (v !== 5) return -1;
  let alias = 0;
  for (const key of Object.keys(props)) {
    const value = (props as Record<string, unknown>)[key];
    if (value === undefined) continue;
    if (key !== 'topicAlias') return -1;
    alias = value as number;
  }
  return alias;
}

/** ASCII fast, anything else through TextEncoder; returns the bytes written. */
function writeTopic(out: Uint8Array, at: number, topic: string): number {
  const n = topic.length;
  for (let i = 0; i < n; i++) {
    const c = topic.charCodeAt(i);
    if (c >= 0x80) {
      encoder ??= new TextEncoder();
      return i + encoder.encodeInto(topic.slice(i), out.subarray(at + i)).written;
    }
    out[at + i] = c;
  }
  return n;
}

function utf8Length(topic: string): number {
  const n = topic.length;
  for (let i = 0; i < n; i++) {
    if (topic.charCodeAt(i) >= 0x80) {
      encoder ??= new TextEncoder();
      return i + encoder.encode(topic.slice(i)).length;
    }
  }
  return n;
}

/** Bytes a PUBLISH needs besides its topic and payload, at most (length, id, alias). */
const MOST_OVERHEAD = 2 + 2 + 4;

/**
 * Whether `publishBytes` writes this PUBLISH: no property but a Topic Alias, and surely short
 * enough for a Remaining Length (a longer one is mqtt-packet's to refuse, with its message).
 */
export function encodesPublish(p: PublishPacket, v: ProtocolVersion): boolean {
  return (
    aliasOnly(p, v) >= 0 &&
    MOST_OVERHEAD + 3 * p.topic.length + p.payload.length <= MAX_REMAINING_LENGTH
  );
}

/**
 * The whole PUBLISH, or without its payload (`withPayload` false: the payload follows as its own
 * chunk, as in `encodePublishHeader`), for a packet that `encodesPublish` accepts.
 */
export function publishBytes(
  p: PublishPacket,
  v: ProtocolVersion,
  withPayload: boolean,
): Uint8Array {
  const alias = aliasOnly(p, v);
  const topicLength = utf8Length(p.topic);
  const propsLength = v === 5 ? (alias > 0 ? 4 : 1) : 0;
  const remaining = 2 + topicLength + (p.qos > 0 ? 2 : 0) + propsLength + p.payload.length;
  const total =
    1 + remainingLengthSize(remaining) + remaining - (withPayload ? 0 : p.payload.length);
  // Every byte of it is written below.
  const out = allocate(total);
  out[0] = 0x30 | (p.dup ? 0x08 : 0) | (p.qos << 1) | (p.retain ? 0x01 : 0);
  let at = writeRemainingLength(out, 1, remaining);
  out[at++] = topicLength >> 8;
  out[at++] = topicLength & 0xff;
  at += writeTopic(out, at, p.topic);
  if (p.qos > 0) {
    const id = p.packetId as number;
    out[at++] = id >> 8;
    out[at++] = id & 0xff;
  }
  if (v === 5) {
    if (alias > 0) {
      out[at++] = 3;
      out[at++] = TOPIC_ALIAS;
      out[at++] = alias >> 8;
      out[at++] = alias & 0xff;
    } else {
      out[at++] = 0;
    }
  }
  if (withPayload) out.set(p.payload, at);
  return out;
}
