/**
 * The codec in one table: for each packet type, who sends it (spec 2.1.2, "Direction of flow"),
 * how an outbound packet and an inbound frame are checked (validation/), and which
 * implementation (table/implementation.ts) encodes and decodes it. Both entries read this table:
 * `@mqttkit/codec` takes every packet either way, `@mqttkit/codec/client` encodes only what a
 * client sends and decodes only what a server sends.
 */
import type { FrameInfo, Reader } from '../framing/frame-reader.js';
import {
  PACKET_NAMES,
  type Packet,
  type PacketCmd,
  type ProtocolVersion,
} from '../model/packets.js';
import { MQTT_PACKET } from '../mqtt-packet/implementation.js';
import { encodesAck } from '../native/ack-encode.js';
import { decodesAck, decodesPublish } from '../native/decode.js';
import { NATIVE } from '../native/implementation.js';
import { encodesPublish } from '../native/publish-encode.js';
import { FRAME_CHECKS } from '../validation/frame-checks.js';
import { PACKET_CHECKS } from '../validation/packet-checks.js';
import type { ImplementationName, PacketImplementation } from './implementation.js';

export type Direction = 'client-to-server' | 'server-to-client' | 'both';

export interface PacketRoute<P extends Packet> {
  /** Control Packet type, 1-15. */
  readonly type: number;
  readonly direction: Direction;
  /** Throws `InvalidPacketError` for a field that cannot be sent (properties apart). */
  readonly check: (p: P, v: ProtocolVersion) => void;
  /** Walks an inbound frame body; throws `MalformedPacketError` or `ProtocolError`. */
  readonly checkFrame: (r: Reader, flags: number, v: ProtocolVersion, info: FrameInfo) => void;
  /** Which implementation writes this checked packet. */
  readonly encodedBy: (p: P, v: ProtocolVersion) => ImplementationName;
  /** Which implementation builds the packet of this checked frame. */
  readonly decodedBy: (
    bodyLength: number,
    info: FrameInfo,
    v: ProtocolVersion,
  ) => ImplementationName;
}

export type PacketTable = { readonly [C in PacketCmd]: PacketRoute<Extract<Packet, { cmd: C }>> };

export const IMPLEMENTATIONS: Readonly<Record<ImplementationName, PacketImplementation>> = {
  native: NATIVE,
  'mqtt-packet': MQTT_PACKET,
};

const mqttPacket = (): ImplementationName => 'mqtt-packet';

function route<C extends PacketCmd>(
  cmd: C,
  type: number,
  direction: Direction,
  encodedBy: PacketRoute<Extract<Packet, { cmd: C }>>['encodedBy'] = mqttPacket,
  decodedBy: PacketRoute<Extract<Packet, { cmd: C }>>['decodedBy'] = mqttPacket,
): PacketRoute<Extract<Packet, { cmd: C }>> {
  return {
    type,
    direction,
    check: PACKET_CHECKS[cmd],
    checkFrame: FRAME_CHECKS[cmd],
    encodedBy,
    decodedBy,
  };
}

/** An acknowledgement of a PUBLISH: native without properties, both ways. */
function ack<C extends 'puback' | 'pubrec' | 'pubrel' | 'pubcomp'>(cmd: C, type: number) {
  return route(
    cmd,
    type,
    'both',
    (p) => (encodesAck(p) ? 'native' : 'mqtt-packet'),
    (bodyLength, _info, v) => (decodesAck(bodyLength, v) ? 'native' : 'mqtt-packet'),
  );
}

export const PACKET_TABLE: PacketTable = {
  connect: route('connect', 1, 'client-to-server'),
  connack: route('connack', 2, 'server-to-client'),
  publish: route(
    'publish',
    3,
    'both',
    (p, v) => (encodesPublish(p, v) ? 'native' : 'mqtt-packet'),
    (_bodyLength, info) => (decodesPublish(info) ? 'native' : 'mqtt-packet'),
  ),
  puback: ack('puback', 4),
  pubrec: ack('pubrec', 5),
  pubrel: ack('pubrel', 6),
  pubcomp: ack('pubcomp', 7),
  subscribe: route('subscribe', 8, 'client-to-server'),
  suback: route('suback', 9, 'server-to-client'),
  unsubscribe: route('unsubscribe', 10, 'client-to-server'),
  unsuback: route('unsuback', 11, 'server-to-client'),
  pingreq: route('pingreq', 12, 'client-to-server'),
  pingresp: route('pingresp', 13, 'server-to-client'),
  disconnect: route('disconnect', 14, 'both'),
  auth: route('auth', 15, 'both'),
};

/**
 * The table with every packet encoded and decoded by mqtt-packet, the implementation that takes
 * every packet: what the native paths are compared with (test/differential.test.ts).
 */
export function allThroughMqttPacket(table: PacketTable = PACKET_TABLE): PacketTable {
  const out: Record<string, PacketRoute<Packet>> = {};
  for (const [cmd, r] of Object.entries(table) as [PacketCmd, PacketRoute<Packet>][]) {
    out[cmd] = { ...r, encodedBy: mqttPacket, decodedBy: mqttPacket };
  }
  return out as unknown as PacketTable;
}

/** Route of a packet type number; undefined for 0 and anything above 15. */
export function routeOfType(table: PacketTable, type: number): PacketRoute<Packet> | undefined {
  const cmd = PACKET_NAMES[type];
  return cmd === undefined ? undefined : (table[cmd] as PacketRoute<Packet>);
}

/**
 * What an entry point takes from the table: everything (`either`), or for a client (`client`)
 * only the packets a client sends to encode and those a server sends to decode.
 */
export type Side = 'either' | 'client';

export const sends = (r: PacketRoute<Packet>, side: Side): boolean =>
  side === 'either' || r.direction !== 'server-to-client';

export const receives = (r: PacketRoute<Packet>, side: Side): boolean =>
  side === 'either' || r.direction !== 'client-to-server';
