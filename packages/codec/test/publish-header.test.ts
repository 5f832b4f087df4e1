import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  encode,
  encodePublishHeader,
  InvalidPacketError,
  type Packet,
  type ProtocolVersion,
  type PublishPacket,
} from '../src/index.js';
import { packetArb } from './arbitraries.js';

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/**
 * Payload lengths on both sides of each step of the Remaining Length field (1 -> 2 -> 3 -> 4
 * bytes at 128, 16,384 and 2,097,152), where the header differs from the payload-less packet's.
 */
const payloadLength = fc.oneof(
  fc.integer({ min: 0, max: 300 }),
  fc.integer({ min: 16_384 - 200, max: 16_384 + 200 }),
  fc.integer({ min: 2_097_152 - 200, max: 2_097_152 + 200 }),
);

/** A payload of that length, sometimes a view into a larger buffer (non-zero byteOffset). */
const payload = fc.tuple(payloadLength, fc.nat(255), fc.nat(8)).map(([length, fill, offset]) => {
  const backing = new Uint8Array(offset + length + 3);
  for (let i = 0; i < backing.length; i++) backing[i] = (fill + i * 31) & 0xff;
  return backing.subarray(offset, offset + length);
});

const publishArb = (v: ProtocolVersion): fc.Arbitrary<PublishPacket> =>
  fc
    .tuple(
      packetArb(v).filter((p): p is PublishPacket => p.cmd === 'publish'),
      payload,
    )
    .map(([p, body]) => ({ ...p, payload: body }));

describe.each([4, 5] as ProtocolVersion[])('encodePublishHeader, protocol version %i', (v) => {
  it('header followed by the payload is byte for byte encode()', () => {
    fc.assert(
      fc.property(publishArb(v), (packet) => {
        const header = encodePublishHeader(packet, { protocolVersion: v });
        const whole = encode(packet, { protocolVersion: v });
        expect(Buffer.from(concat(header, packet.payload)).equals(Buffer.from(whole))).toBe(true);
        // The header is only the bytes before the payload.
        expect(header.length).toBe(whole.length - packet.payload.length);
      }),
      { numRuns: 300, seed: 0x4ead + v },
    );
  });

  it('refuses what encode() refuses, with InvalidPacketError', () => {
    const base: PublishPacket = {
      cmd: 'publish',
      topic: 'a/b',
      payload: new Uint8Array(1),
      qos: 0,
      retain: false,
      dup: false,
    };
    const bad: PublishPacket[] = [
      { ...base, topic: 'a/+' },
      { ...base, qos: 1 },
      { ...base, packetId: 7 },
      { ...base, payload: 'text' as unknown as Uint8Array },
    ];
    for (const packet of bad) {
      expect(() => encode(packet, { protocolVersion: v })).toThrow(InvalidPacketError);
      expect(() => encodePublishHeader(packet, { protocolVersion: v })).toThrow(InvalidPacketError);
    }
    const notPublish = { cmd: 'pingreq' } as Packet as PublishPacket;
    expect(() => encodePublishHeader(notPublish, { protocolVersion: v })).toThrow(
      /needs a PUBLISH/,
    );
  });
});

it('encodePublishHeader refuses a bad protocol version like encode()', () => {
  const packet: PublishPacket = {
    cmd: 'publish',
    topic: 't',
    payload: new Uint8Array(0),
    qos: 0,
    retain: false,
    dup: false,
  };
  const options = { protocolVersion: 3 as ProtocolVersion };
  expect(() => encodePublishHeader(packet, options)).toThrow(/protocolVersion must be 4 or 5/);
});
