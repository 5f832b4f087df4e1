/**
 * One whole inbound frame to a packet over the packet table: walk its body with its route's
 * check, then let the implementation the route names build the packet.
 */
import { type FrameInfo, Reader } from '../framing/frame-reader.js';
import { CodecError, MalformedPacketError, ProtocolError } from '../model/errors.js';
import { PACKET_NAMES, type Packet, type ProtocolVersion } from '../model/packets.js';
import {
  IMPLEMENTATIONS,
  type PacketTable,
  receives,
  routeOfType,
  type Side,
} from './packet-table.js';

/** Decodes one frame whose fixed header ends at `bodyStart`; throws a `CodecError`. */
export type FrameDecoder = (frame: Uint8Array, bodyStart: number, v: ProtocolVersion) => Packet;

/** The frame decoder of an entry point. */
export function frameDecoder(table: PacketTable, side: Side): FrameDecoder {
  return (frame, bodyStart, v) => {
    const first = frame[0] as number;
    const type = first >> 4;
    const route = routeOfType(table, type);
    // Types 0 and 15 under MQTT 3.1.1 never get here: the stream decoder refuses their first byte.
    if (route === undefined) throw new MalformedPacketError(`unknown packet type ${type}`);
    const name = (PACKET_NAMES[type] as string).toUpperCase();
    if (!receives(route, side)) {
      throw new ProtocolError(`received ${name}, which only a client may send`);
    }
    try {
      const info: FrameInfo = {};
      route.checkFrame(
        new Reader(frame.subarray(bodyStart), frame.length - bodyStart, name),
        first & 0x0f,
        v,
        info,
      );
      const version = info.connackProtocolVersion ?? v;
      const implementation =
        IMPLEMENTATIONS[route.decodedBy(frame.length - bodyStart, info, version)];
      const packet = implementation.decode(frame, bodyStart, info, version);
      if (version !== v && packet.cmd === 'connack') packet.protocolVersion = version;
      return packet;
    } catch (e) {
      if (e instanceof CodecError) throw e;
      throw new MalformedPacketError(`${name}: ${String((e as Error)?.message ?? e)}`, {
        cause: e,
      });
    }
  };
}
