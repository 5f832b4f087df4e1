import fc from 'fast-check';
import generate from 'mqtt-packet/generate.js';
import { describe, expect, it } from 'vitest';
import { createDecoder, type Packet, type ProtocolVersion } from '../src/index.js';
import { toWire } from '../src/mqtt-packet/implementation.js';
import {
  generatePublishHeaderWire,
  generateWire,
  parseWire,
  withBuffers,
} from '../src/mqtt-packet/wire.js';
import { packetArb } from './arbitraries.js';
import { str } from './helpers.js';

/** A Buffer view of a plain Uint8Array (no copy); anything else as it is. */
const asBuffer = (value: unknown): unknown =>
  value instanceof Uint8Array && !Buffer.isBuffer(value)
    ? Buffer.from(value.buffer, value.byteOffset, value.byteLength)
    : value;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;

/** A copy of a property object with its binary values as Buffer views. */
const buffersIn = (props: unknown): unknown =>
  isRecord(props)
    ? Object.fromEntries(Object.entries(props).map(([k, x]) => [k, asBuffer(x)]))
    : props;

/**
 * mqtt-packet's own generate(): its bytes, or the message of the error it throws. generate()'s
 * accumulator copies every chunk with Buffer#copy, so the reference gets a copy of the object
 * whose binary fields (payload, properties, will payload and properties) are Buffer views;
 * `generateWire` gets the object as `toWire` left it, plain Uint8Arrays and all.
 */
function reference(wire: object, v: ProtocolVersion): string {
  const w = wire as Record<string, unknown>;
  const forGenerate: Record<string, unknown> = {
    ...w,
    payload: asBuffer(w.payload),
    properties: buffersIn(w.properties),
  };
  if (isRecord(w.will)) {
    forGenerate.will = {
      ...w.will,
      payload: asBuffer(w.will.payload),
      properties: buffersIn(w.will.properties),
    };
  }
  if (!('payload' in w)) delete forGenerate.payload;
  if (!('properties' in w)) delete forGenerate.properties;
  try {
    return `bytes ${[...generate(forGenerate, { protocolVersion: v })]}`;
  } catch (e) {
    return `error ${e instanceof TypeError ? 'TypeError' : (e as Error).message}`;
  }
}

function ours(wire: object, v: ProtocolVersion): string {
  try {
    return `bytes ${[...generateWire(wire, v)]}`;
  } catch (e) {
    return `error ${(e as Error).message}`;
  }
}

describe('mqtt-packet adapter', () => {
  for (const v of [4, 5] as const) {
    it(`generateWire gives mqtt-packet generate()'s bytes for any packet (MQTT ${v})`, () => {
      fc.assert(
        fc.property(packetArb(v), (packet) => {
          const wire = withBuffers(toWire(packet, v));
          expect(ours(wire, v)).toBe(reference(wire, v));
        }),
        { numRuns: 2000 },
      );
    });

    it(`generateWire refuses what generate() refuses, with its message (MQTT ${v})`, () => {
      // Each field replaced by a value of the wrong kind: mqtt-packet's own checks answer.
      const junk = fc.constantFrom<unknown>(undefined, null, -1, 70_000, 1.5, 'x', {}, [], true);
      fc.assert(
        fc.property(packetArb(v), fc.nat(), junk, (packet, pick, value) => {
          const wire = withBuffers(toWire(packet, v)) as Record<string, unknown>;
          const keys = Object.keys(wire).filter((k) => k !== 'cmd');
          if (keys.length > 0) wire[keys[pick % keys.length] as string] = value;
          const expected = reference(wire, v);
          // mqtt-packet crashing on a value it never checks (a TypeError from inside its
          // accumulator) is no answer to match: encode() validates before it gets there.
          fc.pre(!expected.startsWith('error TypeError'));
          expect(ours(wire, v)).toBe(expected);
        }),
        { numRuns: 2000 },
      );
      expect(ours({ cmd: 'nonsense' }, v)).toBe('error Unknown command');
    });

    it(`generatePublishHeaderWire is generate() minus the payload (MQTT ${v})`, () => {
      const publish = packetArb(v).filter((p) => p.cmd === 'publish');
      fc.assert(
        fc.property(publish, (packet) => {
          const wire = withBuffers(toWire(packet, v)) as { payload: Uint8Array };
          const whole = reference(wire, v);
          const header = generatePublishHeaderWire(wire, v);
          expect(`bytes ${[...header, ...wire.payload]}`).toBe(whole);
        }),
        { numRuns: 1000 },
      );
    });
  }

  it('returns mqtt-packet errors as values, and recovers for the next frame', () => {
    const parse = parseWire;
    // CONNECT with an unknown protocol name: mqtt-packet emits 'Invalid protocolId'.
    const bad = Uint8Array.from([0x10, 13, ...str('XXXX'), 4, 0x02, 0, 0, ...str('c')]);
    const result = parse(bad, 4);
    expect('error' in result && (result.error as Error).message).toBe('Invalid protocolId');
    const ok = parse(Uint8Array.from([0xd0, 0]), 4);
    expect('packet' in ok && ok.packet.cmd).toBe('pingresp');
  });

  it('reports a frame mqtt-packet leaves incomplete', () => {
    const parse = parseWire;
    const result = parse(Uint8Array.from([0x30, 5, 0]), 4);
    expect('error' in result).toBe(true);
  });

  it('decodes payloads as plain Uint8Array views of the chunk, from Buffers too', () => {
    const packets: Packet[] = [];
    const decoder = createDecoder({
      protocolVersion: 4,
      onPacket: (p) => packets.push(p),
      onError: (e) => {
        throw e;
      },
    });
    const chunk = Buffer.from([0x30, 6, 0, 1, 0x61, 0x62, 0x63, 0x64]);
    decoder.push(chunk);
    decoder.push(new Uint8Array(chunk));
    expect(packets).toHaveLength(2);
    for (const p of packets) {
      if (p.cmd !== 'publish') throw new Error('expected a PUBLISH');
      expect(p.topic).toBe('a');
      expect(Object.getPrototypeOf(p.payload)).toBe(Uint8Array.prototype);
      expect([...p.payload]).toEqual([0x62, 0x63, 0x64]);
    }
    chunk[7] = 0x7a;
    expect((packets[0] as { payload: Uint8Array }).payload[2]).toBe(0x7a);
  });
});
