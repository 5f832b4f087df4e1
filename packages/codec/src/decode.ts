/** The full codec's decoder: every packet, either direction. */
import type { PacketDecoders } from './check-frame.js';
import { BOTH_WAYS_DECODERS } from './decode-both-ways.js';
import { CLIENT_TO_SERVER_DECODERS } from './decode-client-to-server.js';
import { SERVER_TO_CLIENT_DECODERS } from './decode-server-to-client.js';
import {
  createDecoderWith,
  type DecodeRules,
  type Decoder,
  type DecoderOptions,
  sharedParser,
} from './decoder.js';
import { createWireParser } from './wire.js';

export type { Decoder, DecoderOptions } from './decoder.js';

export const DECODERS: PacketDecoders = {
  ...CLIENT_TO_SERVER_DECODERS,
  ...SERVER_TO_CLIENT_DECODERS,
  ...BOTH_WAYS_DECODERS,
};

const RULES: DecodeRules = { decoders: DECODERS, parseWire: sharedParser(createWireParser) };

/**
 * Creates a streaming decoder. It reads each fixed header itself, refuses a packet larger than
 * `maxPacketSize` before buffering any of its body, then hands exactly one whole frame to
 * mqtt-packet's parser.
 *
 * After the first error the stream cannot be resynchronised (MQTT has no frame markers), so
 * the decoder reports `onError` once and ignores all further input. Packets completed before
 * the error, even in the same chunk, are delivered first.
 *
 * Payloads and binary fields of a packet that arrived inside one chunk are views into that
 * chunk (no copy): do not reuse a chunk's memory after pushing it.
 */
export function createDecoder(options: DecoderOptions): Decoder {
  return createDecoderWith(RULES, options);
}
