/**
 * The checks every inbound packet type shares while its frame is walked: properties, Packet
 * Identifier, reason codes and topic names. Malformed bytes throw `MalformedPacketError`,
 * well-formed bytes the spec forbids throw `ProtocolError`.
 */
import { type FrameInfo, hex, type Reader } from '../framing/frame-reader.js';
import { MalformedPacketError, ProtocolError } from '../model/errors.js';
import type { ProtocolVersion, UserProperties } from '../model/packets.js';
import { PROPERTY_BY_ID, type PropertyContext } from '../model/properties.js';

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

const NO_NAMES: ReadonlySet<string> = new Set();

/**
 * Whether the property block at the reader is the common one, Property Length 0 (one byte,
 * minimal [MQTT-1.5.5-1]): nothing to walk, so nothing need be allocated for it on every packet.
 */
export const noProperties = (r: Reader): boolean => r.pos < r.end && r.buf[r.pos] === 0;

/**
 * Reads a property block; returns the names present. With `values`, also keeps each property's
 * value there, as the packet model holds it (flags as booleans, binary data as views,
 * `subscriptionIdentifiers` as a list, `userProperties` as in `info`).
 */
export function properties(
  r: Reader,
  ctx: PropertyContext,
  info?: FrameInfo,
  values?: Record<string, unknown>,
): ReadonlySet<string> {
  if (noProperties(r)) {
    r.pos++;
    return NO_NAMES;
  }
  const where = ctx === 'will' ? 'Will Properties' : `${r.packet} properties`;
  const len = r.varint(`${where} length`);
  if (len > r.left) {
    throw new MalformedPacketError(
      `${where} length ${len} exceeds the ${r.left} bytes left in the packet`,
    );
  }
  const end = r.pos + len;
  const p = r.within(end);
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
    let kept: unknown;
    switch (def.kind) {
      case 'bool':
      case 'byte':
        value = p.u8(what);
        if (value > 1) throw new ProtocolError(`${what} must be 0 or 1, got ${value}`);
        kept = def.kind === 'bool' ? value === 1 : value;
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
        kept = p.string(what);
        break;
      case 'binary':
        kept = p.binary(what);
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
    // The integer kinds keep the number read.
    if (kept === undefined && def.kind !== 'pair') kept = value;
    if (values && kept !== undefined) {
      // A PUBLISH may repeat the Subscription Identifier: the model holds a list of them.
      if (id === 0x0b) {
        const ids = (values.subscriptionIdentifiers as unknown[] | undefined) ?? [];
        ids.push(kept);
        values.subscriptionIdentifiers = ids;
      } else values[def.name] = kept;
    }
  }
  if (values && info?.userProperties && ctx !== 'will') values.userProperties = info.userProperties;
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
