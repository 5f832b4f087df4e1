/**
 * `encode` and `encodePublishHeader` over the packet table: check the packet (its route's check,
 * then its properties), then let the implementation the route names write it.
 */
import { CodecError } from '../model/errors.js';
import {
  PACKET_NAMES,
  type Packet,
  type PacketCmd,
  type ProtocolVersion,
  type PublishPacket,
} from '../model/packets.js';
import { checkProperties, fail } from '../validation/packet-fields.js';
import {
  IMPLEMENTATIONS,
  type PacketRoute,
  type PacketTable,
  type Side,
  sends,
} from './packet-table.js';

/** Options of `encode`. */
export interface EncodeOptions {
  protocolVersion: ProtocolVersion;
}

function version(options: EncodeOptions): ProtocolVersion {
  const v = options?.protocolVersion;
  if (v !== 4 && v !== 5) fail(`protocolVersion must be 4 or 5, got ${String(v)}`);
  return v;
}

/** A ping's properties are ignored: PINGREQ and PINGRESP cannot carry any. */
const propertiesOf = (p: Packet): object | undefined =>
  p.cmd === 'pingreq' || p.cmd === 'pingresp' ? undefined : p.properties;

/** Checks `p`, its fields then its properties; returns its route. */
function checked(
  table: PacketTable,
  side: Side,
  p: Packet,
  v: ProtocolVersion,
): PacketRoute<Packet> {
  if (typeof p !== 'object' || p === null) fail('packet must be an object');
  const cmd: unknown = (p as { cmd: unknown }).cmd;
  if (typeof cmd !== 'string' || !PACKET_NAMES.includes(cmd as PacketCmd)) {
    fail(`unknown cmd '${String(cmd)}'`);
  }
  const route = table[cmd as PacketCmd] as PacketRoute<Packet>;
  if (!sends(route, side)) {
    fail(
      `${cmd.toUpperCase()} is sent by a server; @mqttkit/codec/client encodes ` +
        'client-to-server packets only',
    );
  }
  route.check(p, v);
  checkProperties(propertiesOf(p), p.cmd, v);
  return route;
}

function refused(e: unknown): never {
  if (e instanceof CodecError) throw e;
  // Whatever mqtt-packet still refuses (e.g. a Remaining Length over 268,435,455).
  fail(`mqtt-packet refused the packet: ${(e as Error)?.message ?? String(e)}`, e);
}

export function encodePacket(
  table: PacketTable,
  side: Side,
  packet: Packet,
  options: EncodeOptions,
): Uint8Array {
  const v = version(options);
  const route = checked(table, side, packet, v);
  try {
    return IMPLEMENTATIONS[route.encodedBy(packet, v)].encode(packet, v);
  } catch (e) {
    refused(e);
  }
}

export function encodePublishHeaderWith(
  table: PacketTable,
  packet: PublishPacket,
  options: EncodeOptions,
): Uint8Array {
  const v = version(options);
  if (typeof packet !== 'object' || packet === null || packet.cmd !== 'publish') {
    fail('encodePublishHeader needs a PUBLISH packet');
  }
  const route = checked(table, 'either', packet, v);
  try {
    return IMPLEMENTATIONS[route.encodedBy(packet, v)].encodePublishHeader(packet, v);
  } catch (e) {
    refused(e);
  }
}
