/**
 * Structural validation of one inbound frame body, before it is handed to mqtt-packet.
 *
 * mqtt-packet's parser trusts its input in several places (it ignores trailing bytes, reads
 * truncated properties as -1/null, turns duplicate properties into arrays, accepts any property
 * in any packet, and replaces invalid UTF-8 with U+FFFD), so every frame is walked here first.
 * Malformed bytes throw `MalformedPacketError`; well-formed bytes the spec forbids throw
 * `ProtocolError`.
 */
import { MalformedPacketError, ProtocolError } from './errors.js';
import { PACKET_NAMES, type ProtocolVersion, type UserProperties } from './packets.js';
import { PROPERTY_BY_ID, type PropertyContext } from './properties.js';
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
import { decodeUtf8 } from './utf8.js';

const hex = (n: number): string => `0x${n.toString(16).padStart(2, '0')}`;

class Reader {
  pos = 0;
  constructor(
    readonly buf: Uint8Array,
    readonly end: number,
    readonly packet: string,
  ) {}

  get left(): number {
    return this.end - this.pos;
  }

  need(n: number, what: string): void {
    if (this.pos + n > this.end) {
      throw new MalformedPacketError(
        `${this.packet} is truncated: ${what} needs ${n} bytes, ${this.left} left`,
      );
    }
  }

  u8(what: string): number {
    this.need(1, what);
    return this.buf[this.pos++]!;
  }

  u16(what: string): number {
    this.need(2, what);
    const v = (this.buf[this.pos]! << 8) | this.buf[this.pos + 1]!;
    this.pos += 2;
    return v;
  }

  u32(what: string): number {
    this.need(4, what);
    const b = this.buf;
    const p = this.pos;
    this.pos += 4;
    return b[p]! * 0x1000000 + ((b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!);
  }

  varint(what: string): number {
    let value = 0;
    let mul = 1;
    for (let i = 0; i < 4; i++) {
      const byte = this.u8(what);
      value += (byte & 0x7f) * mul;
      if ((byte & 0x80) === 0) {
        // [MQTT-1.5.5-1] the minimum number of bytes: a trailing zero byte means padding.
        if (i > 0 && byte === 0) {
          throw new MalformedPacketError(`${this.packet}: ${what} is not minimally encoded`);
        }
        return value;
      }
      mul *= 128;
    }
    throw new MalformedPacketError(`${this.packet}: ${what} is longer than 4 bytes`);
  }

  binary(what: string): Uint8Array {
    const len = this.u16(`${what} length`);
    this.need(len, what);
    const bytes = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return bytes;
  }

  string(what: string): string {
    return decodeUtf8(this.binary(what), `${this.packet} ${what}`);
  }

  done(): void {
    if (this.pos !== this.end) {
      throw new MalformedPacketError(
        `${this.packet} has ${this.end - this.pos} unexpected bytes after its last field`,
      );
    }
  }
}

/**
 * User Properties read by the walk. mqtt-packet merges repeated names by the truthiness of the
 * first value, so a pair with an empty value is lost there; ours are authoritative.
 */
export interface FrameInfo {
  userProperties?: UserProperties;
  willUserProperties?: UserProperties;
  /**
   * A PUBLISH without properties (any MQTT 3.1.1 one): the fields read on the way and where its
   * payload starts in the body, so it can be built without mqtt-packet (`fast-decode.ts`).
   */
  plainPublish?: { topic: string; packetId: number | undefined; payloadStart: number };
}

function addPair(target: UserProperties, name: string, value: string): void {
  const prev = Object.hasOwn(target, name) ? target[name] : undefined;
  const next = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  // defineProperty: a pair may be named "__proto__".
  Object.defineProperty(target, name, {
    value: next,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/** Reads a property block; returns the names present. */
function properties(r: Reader, ctx: PropertyContext, info?: FrameInfo): Set<string> {
  const where = ctx === 'will' ? 'Will Properties' : `${r.packet} properties`;
  const len = r.varint(`${where} length`);
  if (len > r.left) {
    throw new MalformedPacketError(
      `${where} length ${len} exceeds the ${r.left} bytes left in the packet`,
    );
  }
  const end = r.pos + len;
  const p = new Reader(r.buf, end, r.packet);
  p.pos = r.pos;
  const seen = new Set<string>();
  while (p.pos < end) {
    const id = p.varint('property identifier');
    const def = PROPERTY_BY_ID.get(id);
    if (!def) throw new MalformedPacketError(`unknown property identifier ${hex(id)} in ${where}`);
    if (!def.in.has(ctx)) {
      throw new MalformedPacketError(
        `property ${def.name} (${hex(id)}) is not allowed in ${where}`,
      );
    }
    const repeatable = def.repeatable || (ctx === 'publish' && id === 0x0b);
    if (seen.has(def.name) && !repeatable) {
      // The spec calls a repeated property a Protocol Error (e.g. 3.3.2.3.4), not malformed.
      throw new ProtocolError(`duplicate property ${def.name} (${hex(id)}) in ${where}`);
    }
    seen.add(def.name);
    const what = `property ${def.name}`;
    let value = -1;
    switch (def.kind) {
      case 'bool':
      case 'byte':
        value = p.u8(what);
        if (value > 1) throw new ProtocolError(`${what} must be 0 or 1, got ${value}`);
        break;
      case 'int16':
        value = p.u16(what);
        break;
      case 'int32':
        value = p.u32(what);
        break;
      case 'varint':
        value = p.varint(what);
        break;
      case 'string':
        p.string(what);
        break;
      case 'binary':
        p.binary(what);
        break;
      case 'pair': {
        const key = p.string(`${what} name`);
        const val = p.string(`${what} value`);
        if (info) {
          const field = ctx === 'will' ? 'willUserProperties' : 'userProperties';
          info[field] ??= {};
          addPair(info[field], key, val);
        }
        break;
      }
    }
    if (def.nonZero && value === 0) throw new ProtocolError(`${what} must not be 0`);
  }
  r.pos = end;
  return seen;
}

function packetId(r: Reader): number {
  const id = r.u16('Packet Identifier');
  // [MQTT-2.2.1-3] Packet Identifiers are non-zero.
  if (id === 0) throw new ProtocolError(`${r.packet} has Packet Identifier 0 [MQTT-2.2.1-3]`);
  return id;
}

function reasonCode(r: Reader, allowed: ReadonlySet<number>, what = 'reason code'): number {
  const code = r.u8(what);
  if (!allowed.has(code))
    throw new MalformedPacketError(`invalid ${r.packet} ${what} ${hex(code)}`);
  return code;
}

function topicName(r: Reader, what: string, v: ProtocolVersion, aliasAllowed: boolean): string {
  const topic = r.string(what);
  checkTopicName(r, topic, what, v, aliasAllowed);
  return topic;
}

function checkTopicName(
  r: Reader,
  topic: string,
  what: string,
  v: ProtocolVersion,
  aliasAllowed: boolean,
): void {
  if (topic.includes('+') || topic.includes('#')) {
    throw new ProtocolError(`${r.packet} ${what} contains a wildcard [MQTT-3.3.2-2]`);
  }
  if (topic.length === 0 && (v === 4 || !aliasAllowed)) {
    throw new ProtocolError(`${r.packet} ${what} is empty [MQTT-4.7.3-1]`);
  }
}

function connect(r: Reader, info: FrameInfo): void {
  const name = r.string('Protocol Name');
  if (name !== 'MQTT')
    throw new ProtocolError(`unsupported Protocol Name '${name}' [MQTT-3.1.2-1]`);
  const level = r.u8('Protocol Level');
  if (level !== 4 && level !== 5) {
    throw new ProtocolError(`unsupported Protocol Level ${level} [MQTT-3.1.2-2]`);
  }
  const flags = r.u8('Connect Flags');
  if (flags & 0x01)
    throw new MalformedPacketError('CONNECT reserved flag bit 0 is set [MQTT-3.1.2-3]');
  const will = (flags & 0x04) !== 0;
  const willQos = (flags >> 3) & 0x03;
  if (willQos === 3) throw new MalformedPacketError('CONNECT Will QoS is 3 [MQTT-3.1.2-14]');
  if (!will && (willQos !== 0 || flags & 0x20)) {
    throw new MalformedPacketError(
      'CONNECT Will QoS/Retain set without the Will Flag [MQTT-3.1.2-11]',
    );
  }
  const hasUser = (flags & 0x80) !== 0;
  const hasPassword = (flags & 0x40) !== 0;
  if (level === 4 && hasPassword && !hasUser) {
    throw new MalformedPacketError(
      'CONNECT Password Flag set without User Name Flag [MQTT-3.1.2-22]',
    );
  }
  r.u16('Keep Alive');
  if (level === 5) properties(r, 'connect', info);
  r.string('Client Identifier');
  if (will) {
    if (level === 5) properties(r, 'will', info);
    topicName(r, 'Will Topic', level, false);
    r.binary('Will Payload');
  }
  if (hasUser) r.string('User Name');
  if (hasPassword) r.binary('Password');
  r.done();
}

function connack(r: Reader, v: ProtocolVersion, info: FrameInfo): void {
  const flags = r.u8('Connect Acknowledge Flags');
  if (flags & 0xfe) {
    throw new MalformedPacketError('CONNACK reserved flag bits 7-1 are not 0 [MQTT-3.2.2-1]');
  }
  const code =
    v === 5
      ? reasonCode(r, CONNACK_REASON_CODES)
      : reasonCode(r, CONNACK_RETURN_CODES_V4, 'return code');
  if (code !== 0 && flags & 0x01) {
    throw new ProtocolError(
      'CONNACK refuses the connection but sets Session Present [MQTT-3.2.2-4]',
    );
  }
  if (v === 5) properties(r, 'connack', info);
  r.done();
}

function publish(r: Reader, flags: number, v: ProtocolVersion, info: FrameInfo): void {
  const qos = (flags >> 1) & 0x03;
  if (qos === 0 && flags & 0x08)
    throw new ProtocolError('PUBLISH QoS 0 with DUP set [MQTT-3.3.1-2]');
  const topic = r.string('Topic Name');
  const id = qos > 0 ? packetId(r) : undefined;
  let names: Set<string> | undefined;
  if (v === 5) names = properties(r, 'publish', info);
  // Checked now that we know whether a Topic Alias stands in for it [MQTT-3.3.2-1].
  checkTopicName(r, topic, 'Topic Name', v, names?.has('topicAlias') === true);
  // The rest is the payload: any bytes.
  if (names === undefined || names.size === 0) {
    info.plainPublish = { topic, packetId: id, payloadStart: r.pos };
  }
}

function ack(r: Reader, v: ProtocolVersion, codes: ReadonlySet<number>, info: FrameInfo): void {
  packetId(r);
  if (v === 5) {
    // [MQTT-3.4.2-1] Reason Code and Property Length may be omitted.
    if (r.left > 0) reasonCode(r, codes);
    if (r.left > 0) properties(r, r.packet.toLowerCase() as PropertyContext, info);
  }
  r.done();
}

function subscribe(r: Reader, v: ProtocolVersion, info: FrameInfo): void {
  packetId(r);
  if (v === 5) properties(r, 'subscribe', info);
  if (r.left === 0) throw new ProtocolError('SUBSCRIBE has no topic filters [MQTT-3.8.3-3]');
  while (r.left > 0) {
    r.string('Topic Filter');
    const options = r.u8('Subscription Options');
    if (v === 4 && options & 0xfc) {
      throw new MalformedPacketError('SUBSCRIBE reserved option bits 7-2 are not 0 [MQTT-3.8.3-4]');
    }
    if (v === 5 && options & 0xc0) {
      throw new MalformedPacketError('SUBSCRIBE reserved option bits 7-6 are not 0 [MQTT-3.8.3-5]');
    }
    if ((options & 0x03) === 3) throw new MalformedPacketError('SUBSCRIBE requests QoS 3');
    if (((options >> 4) & 0x03) === 3) throw new ProtocolError('SUBSCRIBE Retain Handling is 3');
  }
}

function suback(r: Reader, v: ProtocolVersion, info: FrameInfo): void {
  packetId(r);
  if (v === 5) properties(r, 'suback', info);
  if (r.left === 0) throw new ProtocolError('SUBACK has no reason codes');
  while (r.left > 0) {
    if (v === 5) reasonCode(r, SUBACK_REASON_CODES);
    else reasonCode(r, SUBACK_RETURN_CODES_V4, 'return code');
  }
}

function unsubscribe(r: Reader, v: ProtocolVersion, info: FrameInfo): void {
  packetId(r);
  if (v === 5) properties(r, 'unsubscribe', info);
  if (r.left === 0) throw new ProtocolError('UNSUBSCRIBE has no topic filters [MQTT-3.10.3-2]');
  while (r.left > 0) r.string('Topic Filter');
}

function unsuback(r: Reader, v: ProtocolVersion, info: FrameInfo): void {
  packetId(r);
  if (v === 5) {
    properties(r, 'unsuback', info);
    if (r.left === 0) throw new ProtocolError('UNSUBACK has no reason codes');
    while (r.left > 0) reasonCode(r, UNSUBACK_REASON_CODES);
  }
  r.done();
}

function disconnectOrAuth(
  r: Reader,
  v: ProtocolVersion,
  codes: ReadonlySet<number>,
  info: FrameInfo,
): void {
  if (v === 5) {
    // [MQTT-3.14.2-1] / 3.15.2.1: both fields may be omitted (Remaining Length 0 or 1).
    if (r.left > 0) reasonCode(r, codes);
    if (r.left > 0) properties(r, r.packet === 'AUTH' ? 'auth' : 'disconnect', info);
  }
  r.done();
}

/**
 * Validates the body of one frame. `flags` are the low 4 bits of the fixed header, already
 * checked against [MQTT-2.2.2-1] by the decoder. For CONNECT the packet's own Protocol Level is
 * used instead of `v`.
 */
export function checkFrame(
  type: number,
  flags: number,
  body: Uint8Array,
  v: ProtocolVersion,
): FrameInfo {
  const name = (PACKET_NAMES[type] ?? 'reserved').toUpperCase();
  const r = new Reader(body, body.length, name);
  const info: FrameInfo = {};
  run(r, type, flags, v, info);
  return info;
}

function run(r: Reader, type: number, flags: number, v: ProtocolVersion, info: FrameInfo): void {
  switch (type) {
    case 1:
      connect(r, info);
      return;
    case 2:
      connack(r, v, info);
      return;
    case 3:
      publish(r, flags, v, info);
      return;
    case 4:
    case 5:
      ack(r, v, PUBACK_REASON_CODES, info);
      return;
    case 6:
    case 7:
      ack(r, v, PUBREL_REASON_CODES, info);
      return;
    case 8:
      subscribe(r, v, info);
      return;
    case 9:
      suback(r, v, info);
      return;
    case 10:
      unsubscribe(r, v, info);
      return;
    case 11:
      unsuback(r, v, info);
      return;
    case 12:
    case 13:
      r.done();
      return;
    case 14:
      disconnectOrAuth(r, v, DISCONNECT_REASON_CODES, info);
      return;
    case 15:
      disconnectOrAuth(r, v, AUTH_REASON_CODES, info);
      return;
    default:
      throw new MalformedPacketError(`unknown packet type ${type}`);
  }
}
