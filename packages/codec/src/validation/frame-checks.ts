/**
 * The walk of one inbound frame body, one per packet type, before any implementation builds a
 * packet from it. mqtt-packet's parser trusts its input in several places (it ignores trailing
 * bytes, reads truncated properties as -1/null, turns duplicate properties into arrays, accepts
 * any property in any packet, and replaces invalid UTF-8 with U+FFFD), so every frame is walked
 * here first, whichever implementation decodes it. Malformed bytes throw `MalformedPacketError`;
 * well-formed bytes the spec forbids throw `ProtocolError`.
 */
import type { FrameInfo, Reader } from '../framing/frame-reader.js';
import { MalformedPacketError, ProtocolError } from '../model/errors.js';
import type { PacketCmd, ProtocolVersion } from '../model/packets.js';
import type { PropertyContext } from '../model/properties.js';
import * as tables from '../model/reason-codes.js';
import {
  checkTopicName,
  noProperties,
  packetId,
  properties,
  reasonCode,
  topicName,
} from './frame-fields.js';

/**
 * Walks the body. `flags` are the low 4 bits of the fixed header, already checked against
 * [MQTT-2.2.2-1] by the stream decoder. For CONNECT the packet's own Protocol Level applies.
 */
export type FrameCheck = (r: Reader, flags: number, v: ProtocolVersion, info: FrameInfo) => void;

function connect(r: Reader, _flags: number, _v: ProtocolVersion, info: FrameInfo): void {
  const name = r.string('Protocol Name');
  if (name !== 'MQTT' && name !== 'MQIsdp')
    throw new ProtocolError(`unsupported Protocol Name '${name}' [MQTT-3.1.2-1]`);
  const level = r.u8('Protocol Level');
  // 'MQTT' goes with levels 4 and 5; MQTT 3.1 names itself 'MQIsdp' at level 3 (3.1 section 3.1).
  if (name === 'MQIsdp' ? level !== 3 : level !== 4 && level !== 5) {
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
  if (level !== 5 && hasPassword && !hasUser) {
    throw new MalformedPacketError(
      'CONNECT Password Flag set without User Name Flag [MQTT-3.1.2-22]',
    );
  }
  r.u16('Keep Alive');
  if (level === 5) properties(r, 'connect', info);
  r.string('Client Identifier');
  if (will) {
    if (level === 5) properties(r, 'will', info);
    topicName(r, 'Will Topic', level === 5 ? 5 : 4, false);
    r.binary('Will Payload');
  }
  if (hasUser) r.string('User Name');
  if (hasPassword) r.binary('Password');
  r.done();
}

/** MQTT 3.1.1 Connect Return Code 0x01: unacceptable protocol level (section 3.2.2.3). */
const V4_UNACCEPTABLE_PROTOCOL_VERSION = 0x01;

function connack(r: Reader, _flags: number, v: ProtocolVersion, info: FrameInfo): void {
  if (v === 5 && isV4VersionRefusal(r)) {
    // A 3.1.1 broker refuses our Protocol Level 5 with its own CONNACK [MQTT-3.1.2-2] (3.1.1),
    // not with MQTT 5's 0x84 Unsupported Protocol Version: two bytes, no Properties. Read as
    // MQTT 5 it would be a malformed 0x01; read as what it is, it tells the client to use 3.1.1.
    info.connackProtocolVersion = 4;
    r.pos = r.end;
    return;
  }
  const flags = r.u8('Connect Acknowledge Flags');
  if (flags & 0xfe) {
    throw new MalformedPacketError('CONNACK reserved flag bits 7-1 are not 0 [MQTT-3.2.2-1]');
  }
  const code =
    v === 5
      ? reasonCode(r, tables.CONNACK_REASON_CODES)
      : reasonCode(r, tables.CONNACK_RETURN_CODES_V4, 'return code');
  if (code !== 0 && flags & 0x01) {
    throw new ProtocolError(
      'CONNACK refuses the connection but sets Session Present [MQTT-3.2.2-4]',
    );
  }
  if (v === 5) properties(r, 'connack', info);
  r.done();
}

/** A body of exactly `00 01`: no Session Present, return code 1, no Properties Length. */
function isV4VersionRefusal(r: Reader): boolean {
  return r.end === 2 && r.buf[0] === 0 && r.buf[1] === V4_UNACCEPTABLE_PROTOCOL_VERSION;
}

function publish(r: Reader, flags: number, v: ProtocolVersion, info: FrameInfo): void {
  const qos = (flags >> 1) & 0x03;
  if (qos === 0 && flags & 0x08)
    throw new ProtocolError('PUBLISH QoS 0 with DUP set [MQTT-3.3.1-2]');
  const topic = r.topic('Topic Name');
  const id = qos > 0 ? packetId(r) : undefined;
  let names: ReadonlySet<string> | undefined;
  let values: Record<string, unknown> | undefined;
  if (v === 5) {
    if (!noProperties(r)) values = {};
    names = properties(r, 'publish', info, values);
  }
  // Checked now that we know whether a Topic Alias stands in for it [MQTT-3.3.2-1].
  checkTopicName(r, topic, 'Topic Name', v, names?.has('topicAlias') === true);
  // The rest is the payload: any bytes.
  const props = names !== undefined && names.size > 0 ? values : undefined;
  info.publish = { topic, packetId: id, properties: props, payloadStart: r.pos };
}

function ack(codes: ReadonlySet<number>): FrameCheck {
  return (r, _flags, v, info) => {
    packetId(r);
    if (v === 5) {
      // [MQTT-3.4.2-1] Reason Code and Property Length may be omitted.
      if (r.left > 0) reasonCode(r, codes);
      if (r.left > 0) properties(r, r.packet.toLowerCase() as PropertyContext, info);
    }
    r.done();
  };
}

function subscribe(r: Reader, _flags: number, v: ProtocolVersion, info: FrameInfo): void {
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

function suback(r: Reader, _flags: number, v: ProtocolVersion, info: FrameInfo): void {
  packetId(r);
  if (v === 5) properties(r, 'suback', info);
  if (r.left === 0) throw new ProtocolError('SUBACK has no reason codes');
  while (r.left > 0) {
    if (v === 5) reasonCode(r, tables.SUBACK_REASON_CODES);
    else reasonCode(r, tables.SUBACK_RETURN_CODES_V4, 'return code');
  }
}

function unsubscribe(r: Reader, _flags: number, v: ProtocolVersion, info: FrameInfo): void {
  packetId(r);
  if (v === 5) properties(r, 'unsubscribe', info);
  if (r.left === 0) throw new ProtocolError('UNSUBSCRIBE has no topic filters [MQTT-3.10.3-2]');
  while (r.left > 0) r.string('Topic Filter');
}

function unsuback(r: Reader, _flags: number, v: ProtocolVersion, info: FrameInfo): void {
  packetId(r);
  if (v === 5) {
    properties(r, 'unsuback', info);
    if (r.left === 0) throw new ProtocolError('UNSUBACK has no reason codes');
    while (r.left > 0) reasonCode(r, tables.UNSUBACK_REASON_CODES);
  }
  r.done();
}

/** DISCONNECT and AUTH: under MQTT 5 a reason code and properties, both optional. */
function coded(codes: ReadonlySet<number>, ctx: 'disconnect' | 'auth'): FrameCheck {
  return (r, _flags, v, info) => {
    if (v === 5) {
      // [MQTT-3.14.2-1] / 3.15.2.1: both fields may be omitted (Remaining Length 0 or 1).
      if (r.left > 0) reasonCode(r, codes);
      if (r.left > 0) properties(r, ctx, info);
    }
    r.done();
  };
}

/** PINGREQ and PINGRESP: no body. */
const empty: FrameCheck = (r) => r.done();

const pubAck = ack(tables.PUBACK_REASON_CODES);
const pubRel = ack(tables.PUBREL_REASON_CODES);

export const FRAME_CHECKS: { readonly [C in PacketCmd]: FrameCheck } = {
  connect,
  connack,
  publish,
  puback: pubAck,
  pubrec: pubAck,
  pubrel: pubRel,
  pubcomp: pubRel,
  subscribe,
  suback,
  unsubscribe,
  unsuback,
  pingreq: empty,
  pingresp: empty,
  disconnect: coded(tables.DISCONNECT_REASON_CODES, 'disconnect'),
  auth: coded(tables.AUTH_REASON_CODES, 'auth'),
};
