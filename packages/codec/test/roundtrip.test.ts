import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encode, type ProtocolVersion } from '../src/index.js';
import { packetArb } from './arbitraries.js';
import { decodeBytes, decodeChunks, splitAt } from './helpers.js';

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

describe.each([4, 5] as ProtocolVersion[])('round trip, protocol version %i', (v) => {
  it('decode(encode(p)) equals p for arbitrary packets of every type', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(packetArb(v), (packet) => {
        seen.add(packet.cmd);
        const bytes = encode(packet, { protocolVersion: v });
        const out = decodeBytes(bytes, v);
        expect(out.errors).toEqual([]);
        expect(out.packets).toEqual([packet]);
      }),
      { numRuns: 1500, seed: 0x5eed + v },
    );
    expect(seen.size).toBe(v === 5 ? 15 : 14);
  });

  it('random chunking of a packet stream gives the same packets', () => {
    fc.assert(
      fc.property(
        fc.array(packetArb(v), { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        (packets, cuts) => {
          const stream = concat(packets.map((p) => encode(p, { protocolVersion: v })));
          const chunks = splitAt(
            stream,
            cuts.map((c) => c % (stream.length + 1)),
          );
          const out = decodeChunks(chunks, v);
          expect(out.errors).toEqual([]);
          expect(out.packets).toEqual(packets);
        },
      ),
      { numRuns: 400, seed: 0xc0ffee + v },
    );
  });
});
