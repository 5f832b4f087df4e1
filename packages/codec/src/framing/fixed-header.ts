/** The first byte of a fixed header: packet type and flags (spec 2.1.1, 2.2.2). */
import { type CodecError, MalformedPacketError } from '../model/errors.js';
import { PACKET_NAMES, type ProtocolVersion } from '../model/packets.js';

/** Required fixed-header flags per packet type [MQTT-2.2.2-1]; -1: PUBLISH, checked apart. */
const REQUIRED_FLAGS = [-2, 0, 0, -1, 0, 0, 2, 0, 2, 0, 2, 0, 0, 0, 0, 0];
const NAMES = PACKET_NAMES.map((name) => name?.toUpperCase() ?? 'reserved');

/** Validates the first byte of a packet; returns an error or undefined. */
export function checkFirstByte(byte: number, version: ProtocolVersion): CodecError | undefined {
  const type = byte >> 4;
  const flags = byte & 0x0f;
  if (type === 0 || (type === 15 && version === 4)) {
    return new MalformedPacketError(
      `unknown packet type ${type}${type === 15 ? ' (AUTH needs MQTT 5)' : ''}`,
    );
  }
  if (type === 3) {
    if ((flags & 0x06) === 0x06)
      return new MalformedPacketError('PUBLISH with QoS 3 [MQTT-3.3.1-4]');
    return undefined;
  }
  if (flags !== REQUIRED_FLAGS[type]) {
    return new MalformedPacketError(
      `reserved fixed-header flag bits of ${NAMES[type]} are 0x${flags.toString(16)}, ` +
        `must be 0x${REQUIRED_FLAGS[type]!.toString(16)} [MQTT-2.2.2-1] [MQTT-2.2.2-2]`,
    );
  }
  return undefined;
}

/**
 * Whether `byte` can begin an MQTT packet of `version` (a known type with the flags the spec
 * requires). A peer whose first byte cannot is not speaking MQTT at all: an HTTP server's
 * `HTTP/1.1 400` starts with 0x48, which reads as a PUBACK with reserved flags 0x8.
 */
export function isPacketStart(byte: number, version: ProtocolVersion): boolean {
  return checkFirstByte(byte, version) === undefined;
}
