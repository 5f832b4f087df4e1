/** `@mqttkit/codec`: every packet, either direction, over the packet table (table/). */

import type { Decoder, DecoderOptions } from './framing/stream-decoder.js';
import type { Packet, PublishPacket } from './model/packets.js';
import type { EncodeOptions } from './table/encode-packet.js';
import { entryPoint } from './table/entry-point.js';

export type { Decoder, DecoderOptions } from './framing/stream-decoder.js';
export type { EncodeOptions } from './table/encode-packet.js';

const codec = entryPoint('either');

/**
 * Creates a streaming decoder. It reads each fixed header itself, refuses a packet larger than
 * `maxPacketSize` before buffering any of its body, then decodes exactly one whole frame.
 *
 * After the first error the stream cannot be resynchronised (MQTT has no frame markers), so
 * the decoder reports `onError` once and ignores all further input. Packets completed before
 * the error, even in the same chunk, are delivered first.
 *
 * Payloads and binary fields of a packet that arrived inside one chunk are views into that
 * chunk (no copy): do not reuse a chunk's memory after pushing it.
 */
export function createDecoder(options: DecoderOptions): Decoder {
  return codec.createDecoder(options);
}

/**
 * Encodes one packet to its wire bytes. Pure: no I/O; the result is the caller's own range of
 * bytes (small ones may share a pooled ArrayBuffer). Throws `InvalidPacketError` (code
 * `MQTTKIT_ERR_INVALID_PACKET`) saying what is wrong.
 */
export function encode(packet: Packet, options: EncodeOptions): Uint8Array {
  return codec.encode(packet, options);
}

/**
 * Encodes a PUBLISH without its payload: the fixed header and variable header, so that these
 * bytes followed by `packet.payload` are exactly `encode(packet, options)`. A writer sends the two
 * as separate chunks and the payload is never copied into a new buffer (large payloads are the
 * cost). Validates like `encode` and throws the same `InvalidPacketError`s; the payload is only
 * referenced, so it must not change until it is written.
 */
export function encodePublishHeader(packet: PublishPacket, options: EncodeOptions): Uint8Array {
  return codec.encodePublishHeader(packet, options);
}

export * from './surface.js';
