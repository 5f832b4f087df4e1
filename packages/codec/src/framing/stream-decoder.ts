/**
 * The streaming decoder: reads each fixed header itself (type, flags, Remaining Length), refuses
 * a packet larger than the size limit before buffering any of its body, and hands exactly one
 * whole frame at a time to the entry point's frame decoder (table/decode-frame.ts).
 */
import { CodecError, MalformedPacketError, PacketTooLargeError } from '../model/errors.js';
import {
  DEFAULT_MAX_PACKET_SIZE,
  type Packet,
  PROTOCOL_MAX_PACKET_SIZE,
  type ProtocolVersion,
} from '../model/packets.js';
import { plainBytes } from '../model/plain-bytes.js';
import type { FrameDecoder } from '../table/decode-frame.js';
import { checkFirstByte } from './fixed-header.js';
import { writeRemainingLength } from './remaining-length.js';

/** What each Remaining Length byte's 7 bits are worth, first byte first [MQTT-1.5.5]. */
const DIGIT_WEIGHTS = [1, 0x80, 0x4000, 0x200000];

/** Options of `createDecoder`. */
export interface DecoderOptions {
  protocolVersion: ProtocolVersion;
  /** Largest accepted packet in bytes, fixed header included. Default 16 MiB. */
  maxPacketSize?: number;
  /** Called with each decoded packet, in order. */
  onPacket(packet: Packet): void;
  /** Called at most once; after it the decoder ignores all input. */
  onError(error: CodecError): void;
}

/** A streaming decoder: push bytes as they arrive, get whole packets. */
export interface Decoder {
  /** Feeds bytes; any chunk boundaries. Packets and the error are reported synchronously. */
  push(chunk: Uint8Array): void;
  /** Changes the protocol version (after CONNECT/CONNACK settled it). */
  setProtocolVersion(version: ProtocolVersion): void;
  /** Changes the largest packet accepted from now on. */
  setMaxPacketSize(size: number): void;
  /** Bytes held for an incomplete packet (never more than one packet's worth). */
  readonly bufferedBytes: number;
}

function checkVersion(v: unknown): ProtocolVersion {
  if (v !== 4 && v !== 5) throw new RangeError(`protocolVersion must be 4 or 5, got ${String(v)}`);
  return v;
}

function checkSize(n: unknown): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 2 || n > PROTOCOL_MAX_PACKET_SIZE) {
    throw new RangeError(`maxPacketSize must be an integer 2-${PROTOCOL_MAX_PACKET_SIZE}`);
  }
  return n;
}

/**
 * A streaming decoder over `decodeFrame` (see `createDecoder` in `index.ts` for what it
 * promises).
 */
export function createStreamDecoder(decodeFrame: FrameDecoder, options: DecoderOptions): Decoder {
  return new StreamDecoder(decodeFrame, options);
}

/**
 * A class rather than closures over shared variables: every client holds one decoder for its
 * lifetime, and one object with its methods on a prototype is a fraction of the heap that seven
 * closures, their context and an object literal with a getter take per instance.
 */
class StreamDecoder implements Decoder {
  readonly #decodeFrame: FrameDecoder;
  readonly #onPacket: (packet: Packet) => void;
  readonly #onError: (error: CodecError) => void;
  #version: ProtocolVersion;
  #maxSize: number;
  // Fixed header being read: how many of its bytes (type byte + up to 4 Remaining Length bytes)
  // were read, the type byte, and the Remaining Length so far. Numbers, not a byte array: a
  // frame that spans chunks gets its header written again, which gives the same bytes since
  // only a minimal encoding is accepted [MQTT-1.5.5-1].
  #headerLen = 0;
  #first = 0;
  #remaining = 0;
  // Frame being filled when a packet spans chunks.
  #frame: Uint8Array | undefined = undefined;
  #filled = 0;
  #dead = false;
  // Chunks pushed from inside onPacket wait until the current chunk is done, to keep order.
  #queue: Uint8Array[] | undefined = undefined;
  #busy = false;

  constructor(decodeFrame: FrameDecoder, options: DecoderOptions) {
    this.#version = checkVersion(options.protocolVersion);
    this.#maxSize = checkSize(options.maxPacketSize ?? DEFAULT_MAX_PACKET_SIZE);
    this.#decodeFrame = decodeFrame;
    this.#onPacket = options.onPacket;
    this.#onError = options.onError;
  }

  push(chunk: Uint8Array): void {
    if (this.#dead) return;
    if (this.#busy) {
      if (this.#queue === undefined) this.#queue = [chunk];
      else this.#queue.push(chunk);
      return;
    }
    this.#busy = true;
    try {
      this.#consume(chunk);
      const queue = this.#queue;
      if (queue !== undefined)
        while (queue.length > 0 && !this.#dead) this.#consume(queue.shift()!);
    } finally {
      this.#busy = false;
      if (this.#queue !== undefined) this.#queue.length = 0;
    }
  }

  setProtocolVersion(v: ProtocolVersion): void {
    this.#version = checkVersion(v);
  }

  setMaxPacketSize(size: number): void {
    this.#maxSize = checkSize(size);
  }

  get bufferedBytes(): number {
    return this.#frame !== undefined ? this.#filled : this.#headerLen;
  }

  #fail(error: CodecError): void {
    this.#dead = true;
    this.#frame = undefined;
    this.#headerLen = 0;
    this.#filled = 0;
    this.#onError(error);
  }

  /** Decodes one complete frame; returns false when the decoder died. */
  #handleFrame(bytes: Uint8Array, bodyStart: number): boolean {
    let packet: Packet;
    try {
      packet = this.#decodeFrame(bytes, bodyStart, this.#version);
    } catch (e) {
      this.#fail(
        e instanceof CodecError
          ? e
          : new MalformedPacketError(String((e as Error)?.message ?? e), { cause: e }),
      );
      return false;
    }
    try {
      this.#onPacket(packet);
    } catch (e) {
      // The rest of the chunk is lost with the stack: the stream cannot continue.
      this.#dead = true;
      throw e;
    }
    return !this.#dead;
  }

  /** Hands over the frame that was being filled, now whole; false when the decoder died. */
  #handleFilledFrame(): boolean {
    const done = this.#frame as Uint8Array;
    const bodyStart = this.#headerLen;
    this.#frame = undefined;
    this.#headerLen = 0;
    this.#filled = 0;
    return this.#handleFrame(done, bodyStart);
  }

  #consume(input: Uint8Array): void {
    if (this.#dead) return;
    // One plain view per chunk (a socket hands in Buffers), so the frame, body and payload views
    // cut from it below are plain Uint8Arrays, made without a Buffer constructor each.
    const chunk = plainBytes(input);
    const n = chunk.length;
    let off = 0;
    // Where the current fixed header began in this chunk, or -1 if it began in an earlier one.
    let headerStart = -1;
    while (off < n) {
      const frame = this.#frame;
      if (frame !== undefined) {
        // Continue a frame that spans chunks.
        const take = Math.min(frame.length - this.#filled, n - off);
        frame.set(chunk.subarray(off, off + take), this.#filled);
        this.#filled += take;
        off += take;
        if (this.#filled === frame.length && !this.#handleFilledFrame()) return;
        continue;
      }

      if (this.#headerLen === 0) headerStart = off;
      const byte = chunk[off++]!;
      const headerLen = ++this.#headerLen;
      if (headerLen === 1) {
        const error = checkFirstByte(byte, this.#version);
        if (error) {
          this.#fail(error);
          return;
        }
        this.#first = byte;
        this.#remaining = 0;
        continue;
      }
      this.#remaining += (byte & 0x7f) * DIGIT_WEIGHTS[headerLen - 2]!;
      if (byte & 0x80) {
        // [MQTT-1.5.5] the Remaining Length has at most 4 bytes.
        if (headerLen === 5) {
          this.#fail(new MalformedPacketError('Remaining Length is longer than 4 bytes'));
          return;
        }
        continue;
      }
      if (headerLen > 2 && byte === 0) {
        this.#fail(
          new MalformedPacketError('Remaining Length is not minimally encoded [MQTT-1.5.5-1]'),
        );
        return;
      }
      const remaining = this.#remaining;
      const total = headerLen + remaining;
      if (total > this.#maxSize) {
        this.#fail(new PacketTooLargeError(total, this.#maxSize));
        return;
      }
      const start = headerStart;
      if (start >= 0 && n - start >= total) {
        // The whole frame is inside this chunk: hand over a view, no copy.
        const view = chunk.subarray(start, start + total);
        off = start + total;
        this.#headerLen = 0;
        if (!this.#handleFrame(view, headerLen)) return;
        continue;
      }
      // The packet spans chunks: one allocation of exactly its size.
      const spanning = new Uint8Array(total);
      spanning[0] = this.#first;
      writeRemainingLength(spanning, 1, remaining);
      this.#frame = spanning;
      this.#filled = headerLen;
      // A header-only packet (PINGRESP...) whose header was split across chunks.
      if (remaining === 0 && !this.#handleFilledFrame()) return;
    }
  }
}
