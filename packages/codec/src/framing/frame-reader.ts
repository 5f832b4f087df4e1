/**
 * Reading one inbound frame body field by field (integers, Variable Byte Integers, strings,
 * binary data), and what the walk learns on the way (`FrameInfo`). The checks that use it are
 * in `validation/`.
 */
import { MalformedPacketError } from '../model/errors.js';
import type { ProtocolVersion, UserProperties } from '../model/packets.js';
import { decodeUtf8 } from '../model/utf8.js';

export const hex = (n: number): string => `0x${n.toString(16).padStart(2, '0')}`;

/** The last Topic Name decoded, with a copy of its bytes (see `Reader.topic`). */
let lastTopic: { bytes: Uint8Array; text: string } | undefined;

/** Whether `a` equals `b[at..at + length)`. */
function sameBytes(a: Uint8Array, b: Uint8Array, at: number, length: number): boolean {
  if (a.length !== length) return false;
  for (let i = 0; i < length; i++) if (a[i] !== b[at + i]) return false;
  return true;
}

export class Reader {
  pos = 0;
  constructor(
    readonly buf: Uint8Array,
    readonly end: number,
    readonly packet: string,
  ) {}

  /** A reader of this one's bytes from its position up to `end` (a property block). */
  within(end: number): Reader {
    const inner = new Reader(this.buf, end, this.packet);
    inner.pos = this.pos;
    return inner;
  }

  get left(): number {
    return this.end - this.pos;
  }

  need(n: number, what: string): void {
    if (this.pos + n > this.end) {
      throw new MalformedPacketError(
        `${this.packet} is truncated: ${what} needs ${n} bytes, ${this.left} left`,
      );
    }
  }

  u8(what: string): number {
    this.need(1, what);
    return this.buf[this.pos++]!;
  }

  u16(what: string): number {
    this.need(2, what);
    const v = (this.buf[this.pos]! << 8) | this.buf[this.pos + 1]!;
    this.pos += 2;
    return v;
  }

  u32(what: string): number {
    this.need(4, what);
    const b = this.buf;
    const p = this.pos;
    this.pos += 4;
    return b[p]! * 0x1000000 + ((b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!);
  }

  varint(what: string): number {
    let value = 0;
    let mul = 1;
    for (let i = 0; i < 4; i++) {
      const byte = this.u8(what);
      value += (byte & 0x7f) * mul;
      if ((byte & 0x80) === 0) {
        // [MQTT-1.5.5-1] the minimum number of bytes: a trailing zero byte means padding.
        if (i > 0 && byte === 0) {
          throw new MalformedPacketError(`${this.packet}: ${what} is not minimally encoded`);
        }
        return value;
      }
      mul *= 128;
    }
    throw new MalformedPacketError(`${this.packet}: ${what} is longer than 4 bytes`);
  }

  binary(what: string): Uint8Array {
    const len = this.u16(`${what} length`);
    this.need(len, what);
    const bytes = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return bytes;
  }

  string(what: string): string {
    return decodeUtf8(this.binary(what), `${this.packet} ${what}`);
  }

  /**
   * A PUBLISH Topic Name: a string, but a stream of PUBLISHes mostly repeats its topic, so the
   * last one decoded is kept with its bytes and given again when the bytes are the same (they
   * passed the same checks then), instead of decoding and allocating the string once more.
   */
  topic(what: string): string {
    const length = this.u16(`${what} length`);
    this.need(length, what);
    const start = this.pos;
    this.pos += length;
    const last = lastTopic;
    if (last !== undefined && sameBytes(last.bytes, this.buf, start, length)) return last.text;
    // A copy: the frame's buffer may be reused once it is decoded.
    const bytes = new Uint8Array(this.buf.subarray(start, start + length));
    const text = decodeUtf8(bytes, `${this.packet} ${what}`);
    lastTopic = { bytes, text };
    return text;
  }

  done(): void {
    if (this.pos !== this.end) {
      throw new MalformedPacketError(
        `${this.packet} has ${this.end - this.pos} unexpected bytes after its last field`,
      );
    }
  }
}

/**
 * User Properties read by the walk. mqtt-packet merges repeated names by the truthiness of the
 * first value, so a pair with an empty value is lost there; ours are authoritative.
 */
export interface FrameInfo {
  userProperties?: UserProperties;
  willUserProperties?: UserProperties;
  /**
   * A PUBLISH: the fields read on the way, its properties (MQTT 5, when it has any) and where its
   * payload starts in the body, so it can be built without mqtt-packet (`native/decode.ts`).
   */
  publish?: {
    topic: string;
    packetId: number | undefined;
    properties: Record<string, unknown> | undefined;
    payloadStart: number;
  };
  /** A CONNACK to be read under this version rather than the decoder's (see `connack`). */
  connackProtocolVersion?: ProtocolVersion;
}
