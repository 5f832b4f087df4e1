/**
 * PUBLISH bytes written directly, for the shapes nearly every PUBLISH has: no properties, or
 * under MQTT 5 a Topic Alias alone. The bytes are mqtt-packet's for the same packet (its generate
 * is held to that in test/publish-bytes.test.ts); any other shape returns undefined and goes
 * through mqtt-packet (`wire.ts`). Expects a validated packet.
 */
import { MAX_REMAINING_LENGTH, type ProtocolVersion, type PublishPacket } from './packets.js';

const TOPIC_ALIAS = 0x23;

// Created on first use (see utf8.ts): only non-ASCII topics need it.
let encoder: InstanceType<typeof TextEncoder> | undefined;

/**
 * Small results are cut from a shared slab, as Node's Buffer.allocUnsafe does from its pool: a
 * fresh ArrayBuffer per packet costs about ten times more. Each result is its own range, never
 * handed out twice; a kept result keeps its slab alive (8 KiB at most).
 */
const SLAB_BYTES = 8192;
const POOLED_MAX = 1024;
// The first allocation makes the first slab.
let slab = new ArrayBuffer(0);
let slabUsed = SLAB_BYTES;

function allocate(size: number): Uint8Array {
  if (size > POOLED_MAX) return new Uint8Array(size);
  if (slabUsed + size > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES);
    slabUsed = 0;
  }
  const out = new Uint8Array(slab, slabUsed, size);
  slabUsed += (size + 7) & ~7; // 8-byte aligned, as Node's pool
  return out;
}

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

/**
 * The whole PUBLISH, or without its payload (`withPayload` false: the payload follows as its own
 * chunk, as in `encodePublishHeader`); undefined for a shape this does not handle.
 */
export function publishBytes(
  p: PublishPacket,
  v: ProtocolVersion,
  withPayload: boolean,
): Uint8Array | undefined {
  const alias = aliasOnly(p, v);
  if (alias < 0) return undefined;
  const topicLength = utf8Length(p.topic);
  const propsLength = v === 5 ? (alias > 0 ? 4 : 1) : 0;
  const remaining = 2 + topicLength + (p.qos > 0 ? 2 : 0) + propsLength + p.payload.length;
  // Too long for a Remaining Length: mqtt-packet's path reports it.
  if (remaining > MAX_REMAINING_LENGTH) return undefined;
  const lengthBytes = remaining < 0x80 ? 1 : remaining < 0x4000 ? 2 : remaining < 0x200000 ? 3 : 4;
  const total = 1 + lengthBytes + remaining - (withPayload ? 0 : p.payload.length);
  // Every byte of it is written below.
  const out = allocate(total);
  out[0] = 0x30 | (p.dup ? 0x08 : 0) | (p.qos << 1) | (p.retain ? 0x01 : 0);
  let at = 1;
  let rest = remaining;
  do {
    const byte = rest % 128;
    rest = Math.floor(rest / 128);
    out[at++] = rest > 0 ? byte | 0x80 : byte;
  } while (rest > 0);
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
