/**
 * Seeded fuzz: 100,000 random and mutated buffers. The decoder must only report valid packets
 * or one typed CodecError, never throw, and finish (it is synchronous, so the test timeout
 * bounds any hang).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CodecError,
  createDecoder,
  encode,
  InvalidPacketError,
  type Packet,
  type ProtocolVersion,
} from '../src/index.js';
import { packetArb } from './arbitraries.js';
import { decodeBytes } from './helpers.js';

/** mulberry32: a small seeded PRNG so failures replay. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ITERATIONS = 100_000;
const REFUSABLE = new Set(['connect', 'subscribe', 'unsubscribe']);
const SEED = 20_261_124;
const REASON_BY_CODE: Record<string, number> = {
  MQTTKIT_ERR_MALFORMED_PACKET: 0x81,
  MQTTKIT_ERR_PROTOCOL: 0x82,
  MQTTKIT_ERR_PACKET_TOO_LARGE: 0x95,
};

describe('fuzz', () => {
  it(`${ITERATIONS} random and mutated inputs give only packets or one typed CodecError`, () => {
    const rand = prng(SEED);
    const int = (n: number): number => Math.floor(rand() * n);
    const corpus: Record<ProtocolVersion, Uint8Array[]> = { 4: [], 5: [] };
    for (const v of [4, 5] as ProtocolVersion[]) {
      const packets = fc.sample(packetArb(v), { numRuns: 300, seed: SEED + v });
      corpus[v] = packets.map((p) => encode(p, { protocolVersion: v }));
    }
    const pick = (v: ProtocolVersion): Uint8Array => corpus[v][int(corpus[v].length)]!;

    const stats = { packets: 0, malformed: 0, protocol: 0, tooLarge: 0, clean: 0 };

    for (let i = 0; i < ITERATIONS; i++) {
      const v: ProtocolVersion = rand() < 0.5 ? 4 : 5;
      let input: Uint8Array;
      const mode = int(6);
      if (mode === 0) {
        input = Uint8Array.from({ length: int(48) }, () => int(256));
      } else {
        const base = Uint8Array.from(pick(v));
        if (mode === 1) {
          // flip 1-3 bytes
          for (let k = 1 + int(3); k > 0 && base.length > 0; k--) base[int(base.length)] = int(256);
          input = base;
        } else if (mode === 2) {
          input = base.subarray(0, int(base.length + 1));
        } else if (mode === 3) {
          // splice: a prefix of one valid encoding and a suffix of another
          const other = pick(v);
          const a = base.subarray(0, int(base.length + 1));
          const c = other.subarray(int(other.length + 1));
          input = new Uint8Array(a.length + c.length);
          input.set(a, 0);
          input.set(c, a.length);
        } else if (mode === 4) {
          // insert or delete a byte
          const at = int(base.length + 1);
          input =
            rand() < 0.5
              ? Uint8Array.from([...base.subarray(0, at), int(256), ...base.subarray(at)])
              : Uint8Array.from([...base.subarray(0, at), ...base.subarray(at + 1)]);
        } else {
          // a valid packet, then a mutated one
          const bad = Uint8Array.from(pick(v));
          if (bad.length > 0) bad[int(bad.length)] ^= 1 << int(8);
          input = Uint8Array.from([...base, ...bad]);
        }
      }

      const packets: Packet[] = [];
      const errors: unknown[] = [];
      const decoder = createDecoder({
        protocolVersion: v,
        ...(rand() < 0.1 ? { maxPacketSize: 2 + int(64) } : {}),
        onPacket: (p) => {
          if (errors.length > 0) throw new Error('packet after error');
          packets.push(p);
        },
        onError: (e) => errors.push(e),
      });
      // random chunking
      let off = 0;
      try {
        while (off < input.length) {
          const len = 1 + int(Math.max(1, input.length - off));
          decoder.push(input.subarray(off, off + len));
          off += len;
        }
      } catch (e) {
        throw new Error(`seed ${SEED} iteration ${i}: push threw ${String(e)}`);
      }

      const where = `seed ${SEED} iteration ${i}`;
      if (errors.length > 1) throw new Error(`${where}: ${errors.length} errors reported`);
      if (errors.length === 0) stats.clean++;
      for (const e of errors) {
        if (!(e instanceof CodecError)) throw new Error(`${where}: untyped error ${String(e)}`);
        const expected = REASON_BY_CODE[e.code];
        if (expected === undefined || e.reasonCode !== expected) {
          throw new Error(`${where}: unexpected ${e.code} / ${e.reasonCode}`);
        }
        if (e.code === 'MQTTKIT_ERR_MALFORMED_PACKET') stats.malformed++;
        else if (e.code === 'MQTTKIT_ERR_PROTOCOL') stats.protocol++;
        else stats.tooLarge++;
      }
      for (const p of packets) {
        stats.packets++;
        // A decoded packet is a valid packet: it encodes again and decodes to itself.
        // CONNECT (own protocol level) and filters (not checked on decode) may be refused.
        let bytes: Uint8Array;
        try {
          bytes = encode(p, { protocolVersion: v });
        } catch (e) {
          if (!(e instanceof InvalidPacketError) || !REFUSABLE.has(p.cmd)) {
            throw new Error(`seed ${SEED} iteration ${i}: re-encoding ${p.cmd} failed: ${e}`);
          }
          continue;
        }
        expect(decodeBytes(bytes, v).packets).toEqual([p]);
      }
    }
    // The mix must exercise both paths, or the fuzz proves nothing.
    expect(stats.packets).toBeGreaterThan(20_000);
    expect(stats.malformed).toBeGreaterThan(10_000);
    expect(stats.protocol).toBeGreaterThan(100);
    expect(stats.tooLarge).toBeGreaterThan(1_000);
  }, 30_000);
});
