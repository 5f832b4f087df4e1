/**
 * `@mqttkit/codec/client`: the codec as a client uses it. `encode` takes the packets a client
 * sends and `createDecoder` reads the packets a server sends (spec 2.1.2, "Direction of flow"),
 * as the packet table's `direction` says. Everything else is the same as `@mqttkit/codec`.
 */
import type { Decoder, DecoderOptions } from './framing/stream-decoder.js';
import type { Packet, PublishPacket } from './model/packets.js';
import type { EncodeOptions } from './table/encode-packet.js';
import { entryPoint } from './table/entry-point.js';

export type { Decoder, DecoderOptions } from './framing/stream-decoder.js';
export type { EncodeOptions } from './table/encode-packet.js';

const codec = entryPoint('client');

/**
 * `encode` of `@mqttkit/codec` for the packets a client sends: CONNECT, PUBLISH, PUBACK, PUBREC,
 * PUBREL, PUBCOMP, SUBSCRIBE, UNSUBSCRIBE, PINGREQ, DISCONNECT and AUTH. A CONNACK, SUBACK,
 * UNSUBACK or PINGRESP throws `InvalidPacketError`.
 */
export function encode(packet: Packet, options: EncodeOptions): Uint8Array {
  return codec.encode(packet, options);
}

/** `encodePublishHeader` of `@mqttkit/codec`, the same here. */
export function encodePublishHeader(packet: PublishPacket, options: EncodeOptions): Uint8Array {
  return codec.encodePublishHeader(packet, options);
}

/**
 * `createDecoder` of `@mqttkit/codec` for the packets a server sends: CONNACK, PUBLISH, PUBACK,
 * PUBREC, PUBREL, PUBCOMP, SUBACK, UNSUBACK, PINGRESP, DISCONNECT and AUTH. A CONNECT, SUBSCRIBE,
 * UNSUBSCRIBE or PINGREQ is reported as a `ProtocolError` (reason code 0x82).
 */
export function createDecoder(options: DecoderOptions): Decoder {
  return codec.createDecoder(options);
}

export * from './surface.js';
