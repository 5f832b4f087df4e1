import { expect } from 'vitest';
import {
  type CodecError,
  createDecoder,
  encode,
  type Packet,
  type ProtocolVersion,
} from '../src/index.js';

export interface Decoded {
  packets: Packet[];
  errors: CodecError[];
}

/** Pushes `chunks` through a fresh decoder and collects what it reports. */
export function decodeChunks(
  chunks: Uint8Array[],
  protocolVersion: ProtocolVersion,
  maxPacketSize?: number,
): Decoded {
  const out: Decoded = { packets: [], errors: [] };
  const decoder = createDecoder({
    protocolVersion,
    ...(maxPacketSize === undefined ? {} : { maxPacketSize }),
    onPacket: (p) => out.packets.push(p),
    onError: (e) => out.errors.push(e),
  });
  for (const c of chunks) decoder.push(c);
  return out;
}

export function decodeBytes(
  bytes: Uint8Array,
  v: ProtocolVersion,
  maxPacketSize?: number,
): Decoded {
  return decodeChunks([bytes], v, maxPacketSize);
}

export function oneByteChunks(bytes: Uint8Array): Uint8Array[] {
  return Array.from(bytes, (b) => Uint8Array.of(b));
}

/** Splits at the given cut points (sorted, deduplicated, inside the buffer). */
export function splitAt(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.filter((c) => c > 0 && c < bytes.length))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const p of points) {
    out.push(bytes.subarray(prev, p));
    prev = p;
  }
  out.push(bytes.subarray(prev));
  return out;
}

const te = new TextEncoder();
/** UTF-8 bytes of a string, without a length prefix. */
export const utf8 = (text: string): number[] => [...te.encode(text)];
/** A two-byte big-endian integer. */
export const u16 = (n: number): number[] => [n >> 8, n & 0xff];
/** An MQTT UTF-8 Encoded String: 2-byte length, then the bytes [MQTT-1.5.4]. */
export const str = (text: string): number[] => {
  const b = utf8(text);
  return [...u16(b.length), ...b];
};

/**
 * Runs one spec vector through decode, encode, round trip and 1-byte chunking, like
 * mqtt-packet's testParseGenerate. `decodeOnly` for valid encodings that `encode` writes
 * differently (a shorter or longer but equally valid form).
 */
export function checkVector(
  packet: Packet,
  wire: number[],
  v: ProtocolVersion,
  opts: { decodeOnly?: boolean } = {},
): void {
  const bytes = Uint8Array.from(wire);
  // decode
  const whole = decodeBytes(bytes, v);
  expect(whole.errors).toEqual([]);
  expect(whole.packets).toEqual([packet]);
  // 1-byte chunks
  const bytewise = decodeChunks(oneByteChunks(bytes), v);
  expect(bytewise.errors).toEqual([]);
  expect(bytewise.packets).toEqual([packet]);
  // two copies back to back in one chunk
  const twice = new Uint8Array(bytes.length * 2);
  twice.set(bytes, 0);
  twice.set(bytes, bytes.length);
  expect(decodeBytes(twice, v).packets).toEqual([packet, packet]);
  // round trip: decode(encode(packet)) === packet
  const encoded = encode(packet, { protocolVersion: v });
  expect(decodeBytes(encoded, v).packets).toEqual([packet]);
  if (!opts.decodeOnly) {
    // encode
    expect(Array.from(encoded)).toEqual(wire);
  }
}
