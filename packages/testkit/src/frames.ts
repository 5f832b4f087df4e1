/**
 * A minimal MQTT fixed-header reader: splits a byte stream into whole frames (type, flags,
 * body) without decoding bodies. testkit cannot import `@mqttkit/codec` (the codec's tests
 * depend on testkit), so tests that need typed packets decode `frame.bytes` with the codec.
 */

export const PACKET_TYPES = [
  'reserved',
  'connect',
  'connack',
  'publish',
  'puback',
  'pubrec',
  'pubrel',
  'pubcomp',
  'subscribe',
  'suback',
  'unsubscribe',
  'unsuback',
  'pingreq',
  'pingresp',
  'disconnect',
  'auth',
] as const;

export type PacketTypeName = (typeof PACKET_TYPES)[number];

export interface Frame {
  /** Control packet type, 0-15 [MQTT-2.1.2]. */
  type: number;
  name: PacketTypeName;
  /** The low 4 bits of the first byte. */
  flags: number;
  /** The whole packet: fixed header and body. */
  bytes: Buffer;
  /** The body after the fixed header. */
  body: Buffer;
}

export interface FrameReader {
  /** Feeds a chunk; returns the frames it completed. Throws on a malformed length. */
  push(chunk: Buffer): Frame[];
  /** Bytes held for an incomplete frame. */
  buffered(): number;
}

export function createFrameReader(): FrameReader {
  let buf: Buffer = Buffer.alloc(0);
  return {
    push(chunk) {
      buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
      const frames: Frame[] = [];
      for (;;) {
        if (buf.length < 2) break;
        // Remaining Length: 1-4 bytes of 7 bits, least significant first [MQTT-1.5.5].
        let length = 0;
        let multiplier = 1;
        let i = 1;
        let complete = false;
        for (; i < buf.length && i <= 4; i++) {
          const byte = buf[i] as number;
          length += (byte & 0x7f) * multiplier;
          multiplier *= 128;
          if ((byte & 0x80) === 0) {
            complete = true;
            break;
          }
        }
        if (!complete) {
          if (i > 4) throw new Error('malformed Remaining Length (more than 4 bytes)');
          break;
        }
        const headerLength = i + 1;
        if (buf.length < headerLength + length) break;
        const first = buf[0] as number;
        const type = first >> 4;
        const bytes = buf.subarray(0, headerLength + length);
        frames.push({
          type,
          name: PACKET_TYPES[type] as PacketTypeName,
          flags: first & 0x0f,
          bytes,
          body: bytes.subarray(headerLength),
        });
        buf = buf.subarray(headerLength + length);
      }
      return frames;
    },
    buffered: () => buf.length,
  };
}
