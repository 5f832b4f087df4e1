/**
 * The streaming decoder over a table of per-packet decoders (`decode-*.ts`) and one mqtt-packet
 * parser. Each entry point passes its own (see `decode.ts` and `client.ts`).
 */
import { checkFrame, fromWire, type PacketDecoders } from './check-frame.js';
import { CodecError, MalformedPacketError, PacketTooLargeError } from './errors.js';
import { fastDecode } from './fast-decode.js';
import {
  DEFAULT_MAX_PACKET_SIZE,
  PACKET_NAMES,
  type Packet,
  PROTOCOL_MAX_PACKET_SIZE,
  type ProtocolVersion,
} from './packets.js';
import type { WireParser } from './wire-model.js';

export interface DecoderOptions {
  protocolVersion: ProtocolVersion;
  /** Largest accepted packet in bytes, fixed header included. Default 16 MiB. */
  maxPacketSize?: number;
  onPacket(packet: Packet): void;
  /** Called at most once; after it the decoder ignores all input. */
  onError(error: CodecError): void;
}

export interface Decoder {
  /** Feeds bytes; any chunk boundaries. Packets and the error are reported synchronously. */
  push(chunk: Uint8Array): void;
  setProtocolVersion(version: ProtocolVersion): void;
  setMaxPacketSize(size: number): void;
  /** Bytes held for an incomplete packet (never more than one packet's worth). */
  readonly bufferedBytes: number;
}

/** Required fixed-header flags per packet type [MQTT-2.2.2-1]; -1: PUBLISH, checked apart. */
const REQUIRED_FLAGS = [-2, 0, 0, -1, 0, 0, 2, 0, 2, 0, 2, 0, 0, 0, 0, 0];
const NAMES = PACKET_NAMES.map((name) => name?.toUpperCase() ?? 'reserved');

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

/** What an entry point decodes, and with which parser. */
export interface DecodeRules {
  readonly decoders: PacketDecoders;
  readonly parseWire: WireParser;
}

/**
 * One mqtt-packet parser for every decoder of an entry point, made on first use. A frame is
 * parsed whole and synchronously (no user code runs inside), so frames of different decoders
 * never interleave, and a parser per connection would cost about 1.7 KB of heap for each idle
 * client.
 */
export function sharedParser(create: () => WireParser): WireParser {
  let parse: WireParser | undefined;
  return (frame, v) => {
    parse ??= create();
    return parse(frame, v);
  };
}

/**
 * A streaming decoder of the packets in `rules` (see `createDecoder` in `decode.ts` for what it
 * promises).
 */
export function createDecoderWith(rules: DecodeRules, options: DecoderOptions): Decoder {
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

  /** Validates the first byte; returns an error or undefined. */
  const checkFirstByte = (byte: number): CodecError | undefined => {
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
  };

  /** Decodes one complete frame; returns false when the decoder died. */
  const handleFrame = (bytes: Uint8Array, bodyStart: number): boolean => {
    const first = bytes[0]!;
    const type = first >> 4;
    let packet: Packet;
    try {
      const info = checkFrame(
        rules.decoders,
        type,
        first & 0x0f,
        bytes.subarray(bodyStart),
        version,
      );
      const fast = fastDecode(bytes, bodyStart, info, version);
      if (fast !== undefined) {
        packet = fast;
      } else if (type === 15 && bytes.length === bodyStart) {
        // 3.15.2.1: AUTH with Remaining Length 0 means Success; mqtt-packet cannot parse it.
        packet = { cmd: 'auth', reasonCode: 0 };
      } else {
        const result = rules.parseWire(bytes, version);
        if ('error' in result) {
          const message = (result.error as Error)?.message ?? String(result.error);
          throw new MalformedPacketError(`${NAMES[type]}: ${message}`, { cause: result.error });
        }
        packet = fromWire(rules.decoders, type, result.packet, version, info);
      }
    } catch (e) {
      fail(
        e instanceof CodecError
          ? e
          : new MalformedPacketError(`${NAMES[type]}: ${String((e as Error)?.message ?? e)}`, {
              cause: e,
            }),
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

  const consume = (chunk: Uint8Array): void => {
    if (dead) return;
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
        if (filled === frame.length) {
          const done = frame;
          const bodyStart = headerLen;
          frame = undefined;
          headerLen = 0;
          filled = 0;
          if (!handleFrame(done, bodyStart)) return;
        }
        continue;
      }

      if (headerLen === 0) headerStart = off;
      const byte = chunk[off++]!;
      header[headerLen++] = byte;
      if (headerLen === 1) {
        const error = checkFirstByte(byte);
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
      if (remaining === 0) {
        // A header-only packet (PINGRESP...) whose header was split across chunks.
        const done = frame;
        const bodyStart = headerLen;
        frame = undefined;
        headerLen = 0;
        filled = 0;
        if (!handleFrame(done, bodyStart)) return;
      }
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
