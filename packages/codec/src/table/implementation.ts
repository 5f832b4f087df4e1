/**
 * What an implementation of the wire format does. There are two: `native/` (hand-written fast
 * paths for the commonest packets) and `mqtt-packet/` (mqtt-packet's generator and parser, for
 * every packet). The packet table (packet-table.ts) says which one encodes and decodes each
 * packet; both give the same bytes and the same packets (test/differential.test.ts).
 */
import type { FrameInfo } from '../framing/frame-reader.js';
import type { Packet, ProtocolVersion, PublishPacket } from '../model/packets.js';

export type ImplementationName = 'native' | 'mqtt-packet';

export interface PacketImplementation {
  /**
   * The bytes of a packet that its check accepted. May throw a plain Error for a packet the
   * implementation refuses (the encoder reports it as `InvalidPacketError`).
   */
  encode(p: Packet, v: ProtocolVersion): Uint8Array;
  /** The bytes of a checked PUBLISH up to, not including, its payload. */
  encodePublishHeader(p: PublishPacket, v: ProtocolVersion): Uint8Array;
  /**
   * The packet of one whole frame (fixed header at 0, body from `bodyStart`) that its walk
   * accepted; throws a `CodecError` for bytes it cannot read.
   */
  decode(frame: Uint8Array, bodyStart: number, info: FrameInfo, v: ProtocolVersion): Packet;
}
