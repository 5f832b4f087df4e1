/**
 * Reading one inbound frame body field by field, and the checks every packet type shares
 * (properties, Packet Identifier, reason codes, topic names). The per-packet walks that use them
 * are in `decode-*.ts`; `check-frame.ts` runs them.
 */
import { MalformedPacketError, ProtocolError } from './errors.js';
import type { ProtocolVersion, UserProperties } from './packets.js';
import { PROPERTY_BY_ID, type PropertyContext } from './properties.js';
import { decodeUtf8 } from './utf8.js';

export const hex = (n: number): string => `0x${n.toString(16).padStart(2, '0')}`;

export class Reader {
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
export function properties(r: Reader, ctx: PropertyContext, info?: FrameInfo): Set<string> {
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

export function packetId(r: Reader): number {
  const id = r.u16('Packet Identifier');
  // [MQTT-2.2.1-3] Packet Identifiers are non-zero.
  if (id === 0) throw new ProtocolError(`${r.packet} has Packet Identifier 0 [MQTT-2.2.1-3]`);
  return id;
}

export function reasonCode(r: Reader, allowed: ReadonlySet<number>, what = 'reason code'): number {
  const code = r.u8(what);
  if (!allowed.has(code))
    throw new MalformedPacketError(`invalid ${r.packet} ${what} ${hex(code)}`);
  return code;
}

export function topicName(
  r: Reader,
  what: string,
  v: ProtocolVersion,
  aliasAllowed: boolean,
): string {
  const topic = r.string(what);
  checkTopicName(r, topic, what, v, aliasAllowed);
  return topic;
}

export function checkTopicName(
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
