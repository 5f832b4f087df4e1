/** The full codec's encoder: every packet, either direction. */
import { BOTH_WAYS_ENCODERS } from './encode-both-ways.js';
import { CLIENT_TO_SERVER_ENCODERS } from './encode-client-to-server.js';
import { SERVER_TO_CLIENT_ENCODERS } from './encode-server-to-client.js';
import {
  type EncodeOptions,
  encodePublishHeaderWith,
  encodeWith,
  type PacketEncoders,
  type WireGenerator,
} from './encoder.js';
import type { Packet, PublishPacket } from './packets.js';
import { generatePublishHeaderWire, generateWire } from './wire.js';

export type { EncodeOptions } from './encoder.js';

/** This entry's mqtt-packet generator. */
const wire: WireGenerator = { generateWire, generatePublishHeaderWire };

export const ENCODERS: PacketEncoders = {
  ...CLIENT_TO_SERVER_ENCODERS,
  ...SERVER_TO_CLIENT_ENCODERS,
  ...BOTH_WAYS_ENCODERS,
};

/**
 * Encodes one packet to its wire bytes. Pure: no I/O; the result is the caller's own range of
 * bytes (small ones may share a pooled ArrayBuffer). Throws `InvalidPacketError` (code
 * `MQTTKIT_ERR_INVALID_PACKET`) saying what is wrong.
 */
export function encode(packet: Packet, options: EncodeOptions): Uint8Array {
  return encodeWith(ENCODERS, wire, packet, options);
}

/**
 * Encodes a PUBLISH without its payload: the fixed header and variable header, so that these
 * bytes followed by `packet.payload` are exactly `encode(packet, options)`. A writer sends the two
 * as separate chunks and the payload is never copied into a new buffer (large payloads are the
 * cost). Validates like `encode` and throws the same `InvalidPacketError`s; the payload is only
 * referenced, so it must not change until it is written.
 */
export function encodePublishHeader(packet: PublishPacket, options: EncodeOptions): Uint8Array {
  return encodePublishHeaderWith(wire, packet, options);
}
