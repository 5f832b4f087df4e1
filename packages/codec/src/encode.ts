import { CodecError, InvalidPacketError } from './errors.js';
import type { Packet, ProtocolVersion, PublishPacket } from './packets.js';
import { PROPERTY_BY_NAME, type PropertyContext } from './properties.js';
import { publishBytes } from './publish-bytes.js';
import {
  AUTH_REASON_CODES,
  CONNACK_REASON_CODES,
  CONNACK_RETURN_CODES_V4,
  DISCONNECT_REASON_CODES,
  PUBACK_REASON_CODES,
  PUBREL_REASON_CODES,
  SUBACK_REASON_CODES,
  SUBACK_RETURN_CODES_V4,
  UNSUBACK_REASON_CODES,
} from './reason-codes.js';
import { validateTopic, validateTopicFilter } from './topic.js';
import { stringProblem } from './utf8.js';
import { generatePublishHeaderWire, generateWire, toWire } from './wire.js';

export interface EncodeOptions {
  protocolVersion: ProtocolVersion;
}

function fail(message: string, cause?: unknown): never {
  throw new InvalidPacketError(message, cause === undefined ? undefined : { cause });
}

const isInt = (n: unknown, min: number, max: number): n is number =>
  typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max;

function checkString(value: unknown, what: string): void {
  if (typeof value !== 'string') fail(`${what} must be a string`);
  const problem = stringProblem(value);
  if (problem) fail(`${what} ${problem}`);
}

function checkBinary(value: unknown, what: string): void {
  if (!(value instanceof Uint8Array)) fail(`${what} must be a Uint8Array`);
  if (value.length > 0xffff) fail(`${what} is longer than 65535 bytes`);
}

function checkPacketId(id: unknown, cmd: string): void {
  // [MQTT-2.2.1-3] a non-zero 16-bit Packet Identifier.
  if (!isInt(id, 1, 0xffff)) fail(`${cmd} packetId must be an integer 1-65535, got ${String(id)}`);
}

function checkQos(qos: unknown, what: string): void {
  if (qos !== 0 && qos !== 1 && qos !== 2) fail(`${what} must be 0, 1 or 2, got ${String(qos)}`);
}

function checkCode(code: unknown, allowed: ReadonlySet<number>, what: string): void {
  if (typeof code !== 'number' || !allowed.has(code)) {
    fail(`${what} ${String(code)} is not valid here`);
  }
}

function checkProperties(props: unknown, ctx: PropertyContext, v: ProtocolVersion): void {
  if (props === undefined) return;
  if (typeof props !== 'object' || props === null) fail(`${ctx} properties must be an object`);
  const record = props as Record<string, unknown>;
  // Keys, not entries: this runs for every PUBLISH that carries a property (a topic alias).
  const names = Object.keys(record).filter((name) => record[name] !== undefined);
  if (names.length === 0) return;
  if (v === 4) fail(`properties need MQTT 5 (${ctx}: ${names.join(', ')})`);
  for (const name of names) {
    const value = record[name];
    const plural = name === 'subscriptionIdentifiers';
    const def = PROPERTY_BY_NAME.get(plural ? 'subscriptionIdentifier' : name);
    if (
      !def ||
      (plural && ctx !== 'publish') ||
      (name === 'subscriptionIdentifier' && ctx === 'publish')
    ) {
      fail(`unknown property ${name} for ${ctx}`);
    }
    if (!def.in.has(ctx)) fail(`property ${name} is not allowed in ${ctx}`);
    const what = `property ${name}`;
    const min = def.nonZero ? 1 : 0;
    switch (def.kind) {
      case 'bool':
        if (typeof value !== 'boolean') fail(`${what} must be a boolean`);
        break;
      case 'byte':
        if (value !== 0 && value !== 1) fail(`${what} must be 0 or 1`);
        break;
      case 'int16':
        if (!isInt(value, min, 0xffff)) fail(`${what} must be an integer ${min}-65535`);
        break;
      case 'int32':
        if (!isInt(value, min, 0xffffffff)) fail(`${what} must be an integer ${min}-4294967295`);
        break;
      case 'varint': {
        const list = plural ? value : [value];
        if (!Array.isArray(list) || list.length === 0) fail(`${what} must be a non-empty array`);
        for (const id of list) {
          if (!isInt(id, 1, 268_435_455)) fail(`${what} must be integers 1-268435455`);
        }
        break;
      }
      case 'string':
        checkString(value, what);
        break;
      case 'binary':
        checkBinary(value, what);
        break;
      case 'pair': {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) {
          fail(`${what} must be a record of strings`);
        }
        for (const [key, v2] of Object.entries(value)) {
          checkString(key, `user property name '${key}'`);
          const values = Array.isArray(v2) ? v2 : [v2];
          for (const item of values) checkString(item, `user property '${key}' value`);
        }
        break;
      }
    }
  }
}

function checkTopic(topic: unknown, what: string, v: ProtocolVersion, aliased: boolean): void {
  if (typeof topic !== 'string') fail(`${what} must be a string`);
  // [MQTT-3.3.2-1] MQTT 5 allows an empty Topic Name when a Topic Alias stands in for it.
  if (topic === '' && v === 5 && aliased) return;
  try {
    validateTopic(topic);
  } catch (e) {
    fail(`${what}: ${(e as Error).message}`, e);
  }
}

function validate(p: Packet, v: ProtocolVersion): void {
  if (typeof p !== 'object' || p === null) fail('packet must be an object');
  const ctx = p.cmd;
  switch (p.cmd) {
    case 'connect': {
      checkString(p.clientId, 'CONNECT clientId');
      if (typeof p.clean !== 'boolean') fail('CONNECT clean must be a boolean');
      if (!isInt(p.keepalive, 0, 0xffff))
        fail('CONNECT keepalive must be an integer 0-65535 seconds');
      if (p.protocolVersion !== undefined && p.protocolVersion !== v) {
        fail(`CONNECT protocolVersion ${p.protocolVersion} differs from the encode option ${v}`);
      }
      // [MQTT-3.1.3-7]; mqtt-packet enforces it under MQTT 5 too.
      if (p.clientId === '' && !p.clean) fail('CONNECT with an empty clientId needs clean: true');
      if (p.username !== undefined) checkString(p.username, 'CONNECT username');
      if (p.password !== undefined) {
        checkBinary(p.password, 'CONNECT password');
        // [MQTT-3.1.2-22]; mqtt-packet enforces it under MQTT 5 too.
        if (p.username === undefined) fail('CONNECT password needs a username');
      }
      if (p.will !== undefined) {
        checkTopic(p.will.topic, 'CONNECT will topic', v, false);
        checkBinary(p.will.payload, 'CONNECT will payload');
        checkQos(p.will.qos, 'CONNECT will qos');
        if (typeof p.will.retain !== 'boolean') fail('CONNECT will retain must be a boolean');
        checkProperties(p.will.properties, 'will', v);
      }
      break;
    }
    case 'connack':
      if (typeof p.sessionPresent !== 'boolean') fail('CONNACK sessionPresent must be a boolean');
      checkCode(
        p.reasonCode,
        v === 5 ? CONNACK_REASON_CODES : CONNACK_RETURN_CODES_V4,
        'CONNACK reasonCode',
      );
      // [MQTT-3.2.2-4]
      if (p.reasonCode !== 0 && p.sessionPresent) fail('CONNACK refusal with sessionPresent');
      break;
    case 'publish': {
      checkQos(p.qos, 'PUBLISH qos');
      if (typeof p.retain !== 'boolean' || typeof p.dup !== 'boolean') {
        fail('PUBLISH retain and dup must be booleans');
      }
      if (p.qos === 0) {
        // [MQTT-2.2.1-2] no Packet Identifier at QoS 0; [MQTT-3.3.1-2] no DUP at QoS 0.
        if (p.packetId !== undefined) fail('PUBLISH QoS 0 must not have a packetId');
        if (p.dup) fail('PUBLISH QoS 0 must not set dup [MQTT-3.3.1-2]');
      } else checkPacketId(p.packetId, 'PUBLISH');
      checkTopic(p.topic, 'PUBLISH topic', v, p.properties?.topicAlias !== undefined);
      if (!(p.payload instanceof Uint8Array)) fail('PUBLISH payload must be a Uint8Array');
      break;
    }
    case 'puback':
    case 'pubrec':
    case 'pubrel':
    case 'pubcomp': {
      checkPacketId(p.packetId, p.cmd.toUpperCase());
      if (p.reasonCode !== undefined && p.reasonCode !== 0) {
        if (v === 4) fail(`${p.cmd.toUpperCase()} reasonCode needs MQTT 5`);
        const codes =
          p.cmd === 'puback' || p.cmd === 'pubrec' ? PUBACK_REASON_CODES : PUBREL_REASON_CODES;
        checkCode(p.reasonCode, codes, `${p.cmd.toUpperCase()} reasonCode`);
      }
      break;
    }
    case 'subscribe':
      checkPacketId(p.packetId, 'SUBSCRIBE');
      // [MQTT-3.8.3-3]
      if (!Array.isArray(p.subscriptions) || p.subscriptions.length === 0) {
        fail('SUBSCRIBE needs at least one subscription');
      }
      for (const s of p.subscriptions) {
        try {
          validateTopicFilter(s.topicFilter);
        } catch (e) {
          fail(`SUBSCRIBE topicFilter: ${(e as Error).message}`, e);
        }
        checkQos(s.qos, 'SUBSCRIBE qos');
        if (v === 4 && (s.noLocal || s.retainAsPublished || s.retainHandling)) {
          fail('SUBSCRIBE noLocal/retainAsPublished/retainHandling need MQTT 5');
        }
        if (s.retainHandling !== undefined && !isInt(s.retainHandling, 0, 2)) {
          fail('SUBSCRIBE retainHandling must be 0, 1 or 2');
        }
        // [MQTT-3.8.3-4] No Local on a shared subscription is a Protocol Error.
        if (s.noLocal && s.topicFilter.startsWith('$share/')) {
          fail('SUBSCRIBE noLocal is not allowed on a shared subscription [MQTT-3.8.3-4]');
        }
      }
      break;
    case 'suback':
      checkPacketId(p.packetId, 'SUBACK');
      if (!Array.isArray(p.reasonCodes) || p.reasonCodes.length === 0) {
        fail('SUBACK needs at least one reason code');
      }
      for (const c of p.reasonCodes) {
        checkCode(c, v === 5 ? SUBACK_REASON_CODES : SUBACK_RETURN_CODES_V4, 'SUBACK reason code');
      }
      break;
    case 'unsubscribe':
      checkPacketId(p.packetId, 'UNSUBSCRIBE');
      // [MQTT-3.10.3-2]
      if (!Array.isArray(p.topicFilters) || p.topicFilters.length === 0) {
        fail('UNSUBSCRIBE needs at least one topic filter');
      }
      for (const f of p.topicFilters) {
        try {
          validateTopicFilter(f);
        } catch (e) {
          fail(`UNSUBSCRIBE topicFilter: ${(e as Error).message}`, e);
        }
      }
      break;
    case 'unsuback':
      checkPacketId(p.packetId, 'UNSUBACK');
      if (!Array.isArray(p.reasonCodes)) fail('UNSUBACK reasonCodes must be an array');
      if (v === 4 && p.reasonCodes.length > 0) fail('UNSUBACK reasonCodes need MQTT 5');
      if (v === 5 && p.reasonCodes.length === 0) fail('UNSUBACK needs at least one reason code');
      for (const c of p.reasonCodes) checkCode(c, UNSUBACK_REASON_CODES, 'UNSUBACK reason code');
      break;
    case 'pingreq':
    case 'pingresp':
      return;
    case 'disconnect':
      if (p.reasonCode !== undefined && p.reasonCode !== 0) {
        if (v === 4) fail('DISCONNECT reasonCode needs MQTT 5');
        checkCode(p.reasonCode, DISCONNECT_REASON_CODES, 'DISCONNECT reasonCode');
      }
      break;
    case 'auth':
      if (v === 4) fail('AUTH is an MQTT 5 packet');
      if (p.reasonCode !== undefined) checkCode(p.reasonCode, AUTH_REASON_CODES, 'AUTH reasonCode');
      break;
    default:
      fail(`unknown cmd '${String((p as { cmd: unknown }).cmd)}'`);
  }
  checkProperties(p.properties, ctx, v);
}

/**
 * Encodes one packet to its wire bytes. Pure: no I/O; the result is the caller's own range of
 * bytes (small ones may share a pooled ArrayBuffer). Throws `InvalidPacketError` (code
 * `MQTTKIT_ERR_INVALID_PACKET`) saying what is wrong.
 */
export function encode(packet: Packet, options: EncodeOptions): Uint8Array {
  const v = options?.protocolVersion;
  if (v !== 4 && v !== 5) fail(`protocolVersion must be 4 or 5, got ${String(v)}`);
  validate(packet, v);
  try {
    if (packet.cmd === 'publish') {
      const bytes = publishBytes(packet, v, true);
      if (bytes !== undefined) return bytes;
    }
    return generateWire(toWire(packet, v), v);
  } catch (e) {
    refused(e);
  }
}

function refused(e: unknown): never {
  if (e instanceof CodecError) throw e;
  // Whatever mqtt-packet still refuses (e.g. a Remaining Length over 268,435,455).
  fail(`mqtt-packet refused the packet: ${(e as Error)?.message ?? String(e)}`, e);
}

/**
 * Encodes a PUBLISH without its payload: the fixed header and variable header, so that these
 * bytes followed by `packet.payload` are exactly `encode(packet, options)`. A writer sends the two
 * as separate chunks and the payload is never copied into a new buffer (large payloads are the
 * cost). Validates like `encode` and throws the same `InvalidPacketError`s; the payload is only referenced, so it must not change until it
 * is written.
 */
export function encodePublishHeader(packet: PublishPacket, options: EncodeOptions): Uint8Array {
  const v = options?.protocolVersion;
  if (v !== 4 && v !== 5) fail(`protocolVersion must be 4 or 5, got ${String(v)}`);
  if (typeof packet !== 'object' || packet === null || packet.cmd !== 'publish') {
    fail('encodePublishHeader needs a PUBLISH packet');
  }
  validate(packet, v);
  try {
    const bytes = publishBytes(packet, v, false);
    if (bytes !== undefined) return bytes;
    return generatePublishHeaderWire(toWire(packet, v) as { payload: Uint8Array }, v);
  } catch (e) {
    refused(e);
  }
}
