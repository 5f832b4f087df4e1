/**
 * What an entry point exports of its own (`encode`, `encodePublishHeader`, `createDecoder`) over
 * the packet table, for one side: `either` for `@mqttkit/codec`, `client` for
 * `@mqttkit/codec/client`.
 */
import {
  createStreamDecoder,
  type Decoder,
  type DecoderOptions,
} from '../framing/stream-decoder.js';
import type { Packet, PublishPacket } from '../model/packets.js';
import { frameDecoder } from './decode-frame.js';
import { type EncodeOptions, encodePacket, encodePublishHeaderWith } from './encode-packet.js';
import { PACKET_TABLE, type Side } from './packet-table.js';

export interface EntryPoint {
  encode(packet: Packet, options: EncodeOptions): Uint8Array;
  encodePublishHeader(packet: PublishPacket, options: EncodeOptions): Uint8Array;
  createDecoder(options: DecoderOptions): Decoder;
}

export function entryPoint(side: Side): EntryPoint {
  const decodeFrame = frameDecoder(PACKET_TABLE, side);
  return {
    encode: (packet, options) => encodePacket(PACKET_TABLE, side, packet, options),
    encodePublishHeader: (packet, options) =>
      encodePublishHeaderWith(PACKET_TABLE, packet, options),
    createDecoder: (options) => createStreamDecoder(decodeFrame, options),
  };
}
