/**
 * `@mqttkit/codec/client`: the codec as a client uses it. `encode` takes the packets a client
 * sends and `createDecoder` reads the packets a server sends (spec 2.1.2, "Direction of flow");
 * the other direction's checks, translations and mqtt-packet functions are not in this entry's
 * module graph, which keeps a client's browser bundle smaller. Everything else is the same as
 * `@mqttkit/codec`.
 */
import type { PacketDecoders } from './check-frame.js';
import { BOTH_WAYS_DECODERS } from './decode-both-ways.js';
import { SERVER_TO_CLIENT_DECODERS } from './decode-server-to-client.js';
import {
  createDecoderWith,
  type DecodeRules,
  type Decoder,
  type DecoderOptions,
  sharedParser,
} from './decoder.js';
import { BOTH_WAYS_ENCODERS } from './encode-both-ways.js';
import { CLIENT_TO_SERVER_ENCODERS } from './encode-client-to-server.js';
import {
  type EncodeOptions,
  encodePublishHeaderWith,
  encodeWith,
  type PacketEncoders,
  type WireGenerator,
} from './encoder.js';
import type { Packet, PublishPacket } from './packets.js';
import { createWireParser, generatePublishHeaderWire, generateWire } from './wire-client.js';

export type { Decoder, DecoderOptions } from './decoder.js';
export type { EncodeOptions } from './encoder.js';

/** This entry's mqtt-packet generator. */
const wire: WireGenerator = { generateWire, generatePublishHeaderWire };

const ENCODERS: PacketEncoders = { ...CLIENT_TO_SERVER_ENCODERS, ...BOTH_WAYS_ENCODERS };

const RULES: DecodeRules = {
  decoders: { ...SERVER_TO_CLIENT_DECODERS, ...BOTH_WAYS_DECODERS } satisfies PacketDecoders,
  parseWire: sharedParser(createWireParser),
};

/**
 * `encode` of `@mqttkit/codec` for the packets a client sends: CONNECT, PUBLISH, PUBACK, PUBREC,
 * PUBREL, PUBCOMP, SUBSCRIBE, UNSUBSCRIBE, PINGREQ, DISCONNECT and AUTH. A CONNACK, SUBACK,
 * UNSUBACK or PINGRESP throws `InvalidPacketError`.
 */
export function encode(packet: Packet, options: EncodeOptions): Uint8Array {
  return encodeWith(ENCODERS, wire, packet, options);
}

/** `encodePublishHeader` of `@mqttkit/codec`, the same here. */
export function encodePublishHeader(packet: PublishPacket, options: EncodeOptions): Uint8Array {
  return encodePublishHeaderWith(wire, packet, options);
}

/**
 * `createDecoder` of `@mqttkit/codec` for the packets a server sends: CONNACK, PUBLISH, PUBACK,
 * PUBREC, PUBREL, PUBCOMP, SUBACK, UNSUBACK, PINGRESP, DISCONNECT and AUTH. A CONNECT, SUBSCRIBE,
 * UNSUBSCRIBE or PINGREQ is reported as a `ProtocolError` (reason code 0x82).
 */
export function createDecoder(options: DecoderOptions): Decoder {
  return createDecoderWith(RULES, options);
}

export * from './surface.js';
