/**
 * PUBLISH bytes written directly, for the shapes nearly every PUBLISH has: no properties, or
 * under MQTT 5 only a Topic Alias and User Properties, the ones a client sets on every message
 * (an alias per topic, a `traceparent` per message: `encodesPublish`). The bytes are
 * mqtt-packet's for the same packet (test/publish-bytes.test.ts and test/differential.test.ts
 * hold them to that): the properties in the order of the object's keys, each user property's
 * values in order. Expects a checked packet.
 */

import { remainingLengthSize, writeRemainingLength } from '../framing/remaining-length.js';
import {
  MAX_REMAINING_LENGTH,
  type ProtocolVersion,
  type PublishPacket,
  type UserProperties,
} from '../model/packets.js';
import { utf8ByteLength } from '../model/utf8.js';
import { allocate } from './slab.js';

const TOPIC_ALIAS = 0x23;
const USER_PROPERTY = 0x26;

// Created on first use (see utf8.ts): only non-ASCII strings need it.
let encoder: InstanceType<typeof TextEncoder> | undefined;

/**
 * The Property Length of a PUBLISH whose properties this file writes (0 for none), or -1 for one
 * it leaves to mqtt-packet: any other property, or properties under MQTT 3.1.1.
 */
function propertiesLength(p: PublishPacket, v: ProtocolVersion): number {
  const props = p.properties;
  if (props === undefined) return 0;
  if (v !== 5) return -1;
  let length = 0;
  for (const key of Object.keys(props)) {
    const value = (props as Record<string, unknown>)[key];
    if (value === undefined) continue;
    if (key === 'topicAlias') length += 3;
    else if (key === 'userProperties') length += userPropertiesLength(value as UserProperties);
    else return -1;
  }
  return length;
}

/** Each value of each name is one User Property: identifier, name and value (spec 3.3.2.3.10). */
function userPropertiesLength(pairs: UserProperties): number {
  let length = 0;
  for (const name of Object.getOwnPropertyNames(pairs)) {
    const values = pairs[name] as string | string[];
    const nameLength = 1 + 2 + utf8ByteLength(name) + 2;
    if (typeof values === 'string') length += nameLength + utf8ByteLength(values);
    else for (const value of values) length += nameLength + utf8ByteLength(value);
  }
  return length;
}

/** Writes the properties `propertiesLength` measured, in the object's key order. */
function writeProperties(out: Uint8Array, at: number, p: PublishPacket): number {
  const props = p.properties as Record<string, unknown>;
  let pos = at;
  for (const key of Object.keys(props)) {
    const value = props[key];
    if (value === undefined) continue;
    if (key === 'topicAlias') {
      const alias = value as number;
      out[pos++] = TOPIC_ALIAS;
      out[pos++] = alias >> 8;
      out[pos++] = alias & 0xff;
      continue;
    }
    const pairs = value as UserProperties;
    for (const name of Object.getOwnPropertyNames(pairs)) {
      const values = pairs[name] as string | string[];
      if (typeof values === 'string') pos = writePair(out, pos, name, values);
      else for (const one of values) pos = writePair(out, pos, name, one);
    }
  }
  return pos;
}

function writePair(out: Uint8Array, at: number, name: string, value: string): number {
  out[at] = USER_PROPERTY;
  return writeString(out, writeString(out, at + 1, name), value);
}

/** A UTF-8 Encoded String: two length bytes, then the bytes; returns the next position. */
function writeString(out: Uint8Array, at: number, s: string): number {
  const n = writeUtf8(out, at + 2, s);
  out[at] = n >> 8;
  out[at + 1] = n & 0xff;
  return at + 2 + n;
}

/** ASCII fast, anything else through TextEncoder; returns the bytes written. */
function writeUtf8(out: Uint8Array, at: number, s: string): number {
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) {
      encoder ??= new TextEncoder();
      return i + encoder.encodeInto(s.slice(i), out.subarray(at + i)).written;
    }
    out[at + i] = c;
  }
  return n;
}

/** Bytes a PUBLISH needs besides its topic, properties and payload, at most. */
const MOST_OVERHEAD = 2 + 2 + 4; // topic length, packet id, Property Length

/**
 * Whether `publishBytes` writes this PUBLISH: no property but a Topic Alias and User
 * Properties, and surely short enough for a Remaining Length (a longer one is mqtt-packet's to
 * refuse, with its message).
 */
export function encodesPublish(p: PublishPacket, v: ProtocolVersion): boolean {
  const props = propertiesLength(p, v);
  return (
    props >= 0 &&
    MOST_OVERHEAD + 3 * p.topic.length + props + p.payload.length <= MAX_REMAINING_LENGTH
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
  const props = propertiesLength(p, v);
  const topicLength = utf8ByteLength(p.topic);
  const propsLength = v === 5 ? remainingLengthSize(props) + props : 0;
  const remaining = 2 + topicLength + (p.qos > 0 ? 2 : 0) + propsLength + p.payload.length;
  const total =
    1 + remainingLengthSize(remaining) + remaining - (withPayload ? 0 : p.payload.length);
  // Every byte of it is written below.
  const out = allocate(total);
  out[0] = 0x30 | (p.dup ? 0x08 : 0) | (p.qos << 1) | (p.retain ? 0x01 : 0);
  let at = writeRemainingLength(out, 1, remaining);
  out[at++] = topicLength >> 8;
  out[at++] = topicLength & 0xff;
  at += writeUtf8(out, at, p.topic);
  if (p.qos > 0) {
    const id = p.packetId as number;
    out[at++] = id >> 8;
    out[at++] = id & 0xff;
  }
  if (v === 5) {
    // The Property Length is a Variable Byte Integer, encoded as a Remaining Length is.
    at = writeRemainingLength(out, at, props);
    if (props > 0) at = writeProperties(out, at, p);
  }
  if (withPayload) out.set(p.payload, at);
  return out;
}
