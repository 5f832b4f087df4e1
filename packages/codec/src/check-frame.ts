/**
 * Structural validation of one inbound frame body, before it is handed to mqtt-packet.
 *
 * mqtt-packet's parser trusts its input in several places (it ignores trailing bytes, reads
 * truncated properties as -1/null, turns duplicate properties into arrays, accepts any property
 * in any packet, and replaces invalid UTF-8 with U+FFFD), so every frame is walked here first,
 * by the walk of its packet type (`decode-*.ts`). Malformed bytes throw `MalformedPacketError`;
 * well-formed bytes the spec forbids throw `ProtocolError`.
 */
import { MalformedPacketError, ProtocolError } from './errors.js';
import { type FrameInfo, Reader } from './frame-reader.js';
import { PACKET_NAMES, type Packet, type ProtocolVersion } from './packets.js';
import { type Props, propsFromWire, type WirePacket } from './wire-model.js';

export type { FrameInfo } from './frame-reader.js';

/** How one packet type is decoded. */
export interface PacketDecoder {
  /**
   * Walks the body. `flags` are the low 4 bits of the fixed header, already checked against
   * [MQTT-2.2.2-1] by the decoder.
   */
  check(r: Reader, flags: number, v: ProtocolVersion, info: FrameInfo): void;
  /** Our packet from mqtt-packet's parse of a frame that `check` accepted. */
  fromWire(w: WirePacket, v: ProtocolVersion, info: FrameInfo, props: Props | undefined): Packet;
}

/**
 * Decoders by packet type (1-15). The full codec has all fifteen; `@mqttkit/codec/client` leaves
 * out the packets only a client sends, and receiving one is a Protocol Error (spec 2.1.2).
 */
export type PacketDecoders = Readonly<Record<number, PacketDecoder | undefined>>;

/** Validates the body of one frame. For CONNECT the packet's own Protocol Level is used. */
export function checkFrame(
  decoders: PacketDecoders,
  type: number,
  flags: number,
  body: Uint8Array,
  v: ProtocolVersion,
): FrameInfo {
  const cmd = PACKET_NAMES[type];
  const decoder = decoders[type];
  if (!decoder) {
    // Types 0 and 15 under MQTT 3.1.1 never get here: the decoder refuses their first byte.
    if (cmd === undefined) throw new MalformedPacketError(`unknown packet type ${type}`);
    throw new ProtocolError(`received ${cmd.toUpperCase()}, which only a client may send`);
  }
  const info: FrameInfo = {};
  decoder.check(new Reader(body, body.length, (cmd as string).toUpperCase()), flags, v, info);
  return info;
}

/** Our packet from mqtt-packet's parse of a frame of `type` that `checkFrame` accepted. */
export function fromWire(
  decoders: PacketDecoders,
  type: number,
  w: WirePacket,
  v: ProtocolVersion,
  info: FrameInfo,
): Packet {
  const props = propsFromWire(w.properties, info.userProperties);
  return (decoders[type] as PacketDecoder).fromWire(w, v, info, props);
}
