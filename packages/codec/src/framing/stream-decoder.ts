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
  let version = checkVersion(options.protocolVersion);
  let maxSize = checkSize(options.maxPacketSize ?? DEFAULT_MAX_PACKET_SIZE);
  const { onPacket, onError } = options;

  // Fixed header being read: type byte + up to 4 Remaining Length bytes.
  const header = new Uint8Array(5);
  let headerLen = 0;
  // Frame being filled when a packet spans chunks.
  let frame: Uint8Array | undefined;
  let filled = 0;
  let dead = false;

  const fail = (error: CodecError): void => {
    dead = true;
    frame = undefined;
    headerLen = 0;
    filled = 0;
    onError(error);
  };

  /** Decodes one complete frame; returns false when the decoder died. */
  const handleFrame = (bytes: Uint8Array, bodyStart: number): boolean => {
    let packet: Packet;
    try {
      packet = decodeFrame(bytes, bodyStart, version);
    } catch (e) {
      fail(
        e instanceof CodecError
          ? e
          : new MalformedPacketError(String((e as Error)?.message ?? e), { cause: e }),
      );
      return false;
    }
    try {
      onPacket(packet);
    } catch (e) {
      // The rest of the chunk is lost with the stack: the stream cannot continue.
      dead = true;
      throw e;
    }
    return !dead;
  };

  /** Hands over the frame that was being filled, now whole; false when the decoder died. */
  const handleFilledFrame = (): boolean => {
    const done = frame as Uint8Array;
    const bodyStart = headerLen;
    frame = undefined;
    headerLen = 0;
    filled = 0;
    return handleFrame(done, bodyStart);
  };

  // Chunks pushed from inside onPacket wait until the current chunk is done, to keep order.
  const queue: Uint8Array[] = [];
  let busy = false;
  const push = (chunk: Uint8Array): void => {
    if (dead) return;
    if (busy) {
      queue.push(chunk);
      return;
    }
    busy = true;
    try {
      consume(chunk);
      while (queue.length > 0 && !dead) consume(queue.shift()!);
    } finally {
      busy = false;
      queue.length = 0;
    }
  };

  const consume = (input: Uint8Array): void => {
    if (dead) return;
    // One plain view per chunk (a socket hands in Buffers), so the frame, body and payload views
    // cut from it below are plain Uint8Arrays, made without a Buffer constructor each.
    const chunk = plainBytes(input);
    const n = chunk.length;
    let off = 0;
    // Where the current fixed header began in this chunk, or -1 if it began in an earlier one.
    let headerStart = -1;
    while (off < n) {
      if (frame !== undefined) {
        // Continue a frame that spans chunks.
        const take = Math.min(frame.length - filled, n - off);
        frame.set(chunk.subarray(off, off + take), filled);
        filled += take;
        off += take;
        if (filled === frame.length && !handleFilledFrame()) return;
        continue;
      }

      if (headerLen === 0) headerStart = off;
      const byte = chunk[off++]!;
      header[headerLen++] = byte;
      if (headerLen === 1) {
        const error = checkFirstByte(byte, version);
        if (error) {
          fail(error);
          return;
        }
        continue;
      }
      if (byte & 0x80) {
        // [MQTT-1.5.5] the Remaining Length has at most 4 bytes.
        if (headerLen === 5) {
          fail(new MalformedPacketError('Remaining Length is longer than 4 bytes'));
          return;
        }
        continue;
      }
      if (headerLen > 2 && byte === 0) {
        fail(new MalformedPacketError('Remaining Length is not minimally encoded [MQTT-1.5.5-1]'));
        return;
      }
      let remaining = 0;
      for (let i = headerLen - 1; i >= 1; i--) remaining = remaining * 128 + (header[i]! & 0x7f);
      const total = headerLen + remaining;
      if (total > maxSize) {
        fail(new PacketTooLargeError(total, maxSize));
        return;
      }
      const start = headerStart;
      if (start >= 0 && n - start >= total) {
        // The whole frame is inside this chunk: hand over a view, no copy.
        const view = chunk.subarray(start, start + total);
        const bodyStart = headerLen;
        off = start + total;
        headerLen = 0;
        if (!handleFrame(view, bodyStart)) return;
        continue;
      }
      // The packet spans chunks: one allocation of exactly its size.
      frame = new Uint8Array(total);
      frame.set(header.subarray(0, headerLen), 0);
      filled = headerLen;
      // A header-only packet (PINGRESP...) whose header was split across chunks.
      if (remaining === 0 && !handleFilledFrame()) return;
    }
  };

  return {
    push,
    setProtocolVersion(v) {
      version = checkVersion(v);
    },
    setMaxPacketSize(size) {
      maxSize = checkSize(size);
    },
    get bufferedBytes() {
      return frame !== undefined ? filled : headerLen;
    },
  };
}
