/**
 * The hand-written PUBLISH (`native/publish-encode.ts`) against mqtt-packet's generate() for every
 * PUBLISH it takes: no properties, or a Topic Alias and User Properties in either order (names
 * with one value, several or none; non-ASCII and empty strings), any topic (non-ASCII included),
 * QoS, flags and payload length on both sides of each Remaining Length step.
 */
import fc from 'fast-check';
import generate from 'mqtt-packet/generate.js';
import { describe, expect, it } from 'vitest';
import {
  encode,
  encodePublishHeader,
  type ProtocolVersion,
  type PublishPacket,
} from '../src/index.js';
import { toWire } from '../src/mqtt-packet/implementation.js';
import { withBuffers } from '../src/mqtt-packet/wire.js';
import { encodesPublish, publishBytes } from '../src/native/publish-encode.js';
import { topicName } from './arbitraries.js';

const payloadLength = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 300 }), weight: 6 },
  { arbitrary: fc.integer({ min: 16_384 - 200, max: 16_384 + 200 }), weight: 3 },
  { arbitrary: fc.integer({ min: 2_097_152 - 200, max: 2_097_152 + 200 }), weight: 1 },
);

const text = fc.string({ unit: 'grapheme', maxLength: 12 }).filter((t) => !t.includes('\u0000'));

/**
 * User Properties: a name with one value or a list of them (none included), at least one value
 * in all (mqtt-packet writes nothing at all for none: see the test of that below).
 */
const userProperties = fc
  .dictionary(text, fc.oneof(text, fc.array(text, { maxLength: 3 })), {
    minKeys: 1,
    maxKeys: 4,
    noNullPrototype: true,
  })
  .filter((pairs) => Object.values(pairs).some((v) => typeof v === 'string' || v.length > 0));

const publishArb = (v: ProtocolVersion): fc.Arbitrary<PublishPacket> =>
  fc
    .record({
      topic: fc.oneof(
        topicName,
        fc
          .string({ unit: 'grapheme', minLength: 1, maxLength: 20 })
          .filter(
            (t) => !t.includes('+') && !t.includes('#') && !t.includes(String.fromCharCode(0)),
          ),
      ),
      length: payloadLength,
      qos: fc.constantFrom(0, 1, 2),
      retain: fc.boolean(),
      dup: fc.boolean(),
      packetId: fc.integer({ min: 1, max: 0xffff }),
      alias:
        v === 5
          ? fc.option(fc.integer({ min: 1, max: 0xffff }), { nil: undefined })
          : fc.constant(undefined),
      emptyTopic: fc.boolean(),
      userProperties:
        v === 5 ? fc.option(userProperties, { nil: undefined }) : fc.constant(undefined),
      aliasFirst: fc.boolean(),
    })
    .map((r) => {
      const p: PublishPacket = {
        cmd: 'publish',
        topic: r.alias !== undefined && r.emptyTopic ? '' : r.topic,
        payload: new Uint8Array(r.length).fill(r.length & 0xff),
        qos: r.qos as 0 | 1 | 2,
        retain: r.retain,
        dup: r.qos > 0 && r.dup,
      };
      if (r.qos > 0) p.packetId = r.packetId;
      const alias = r.alias === undefined ? {} : { topicAlias: r.alias };
      const user = r.userProperties === undefined ? {} : { userProperties: r.userProperties };
      if (r.alias !== undefined || r.userProperties !== undefined) {
        p.properties = r.aliasFirst ? { ...alias, ...user } : { ...user, ...alias };
      }
      return p;
    });

function reference(p: PublishPacket, v: ProtocolVersion): Buffer {
  const wire = withBuffers(toWire(p, v)) as { payload: Uint8Array };
  const payload = Buffer.from(wire.payload.buffer, wire.payload.byteOffset, wire.payload.length);
  return Buffer.from(generate({ ...wire, payload }, { protocolVersion: v }));
}

/** Byte equality without spreading megabytes into arrays (a diff of those would never end). */
function same(...parts: (Uint8Array | undefined)[]): (expected: Buffer) => boolean {
  return (expected) => Buffer.concat(parts.map((x) => x ?? Buffer.alloc(0))).equals(expected);
}

describe('hand-written PUBLISH', () => {
  for (const v of [4, 5] as const) {
    it(`gives mqtt-packet's bytes, whole and without the payload (MQTT ${v})`, () => {
      fc.assert(
        fc.property(publishArb(v), (p) => {
          const expected = reference(p, v);
          expect(encodesPublish(p, v)).toBe(true);
          const whole = publishBytes(p, v, true);
          expect(whole).toBeDefined();
          expect(same(whole)(expected)).toBe(true);
          expect(same(publishBytes(p, v, false), p.payload)(expected)).toBe(true);
          // encode and encodePublishHeader take this path.
          expect(same(encode(p, { protocolVersion: v }))(expected)).toBe(true);
          const header = encodePublishHeader(p, { protocolVersion: v });
          expect(same(header, p.payload)(expected)).toBe(true);
        }),
        { numRuns: 150 },
      );
    }, 60_000);
  }

  it('results never share bytes: each one stays as it was after many more encodes', () => {
    const kept: [Uint8Array, number[]][] = [];
    for (let i = 0; i < 2000; i++) {
      const p: PublishPacket = {
        cmd: 'publish',
        topic: `t/${i}`,
        payload: new Uint8Array(i % 1500).fill(i & 0xff),
        qos: 0,
        retain: false,
        dup: false,
      };
      const bytes = publishBytes(p, 4, true) as Uint8Array;
      kept.push([bytes, [...bytes]]);
    }
    for (const [bytes, copy] of kept) expect([...bytes]).toEqual(copy);
  });

  it('leaves other properties, and MQTT 3.1.1 properties, to mqtt-packet', () => {
    const p: PublishPacket = {
      cmd: 'publish',
      topic: 't',
      payload: new Uint8Array(1),
      qos: 0,
      retain: false,
      dup: false,
      properties: { topicAlias: 2, contentType: 'x' },
    };
    expect(encodesPublish(p, 5)).toBe(false);
    expect(encodesPublish({ ...p, properties: { topicAlias: 2 } }, 4)).toBe(false);
    expect(encodesPublish({ ...p, properties: { topicAlias: 2, contentType: undefined } }, 5)).toBe(
      true,
    );
    const userProperties = {
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    };
    expect(encodesPublish({ ...p, properties: { userProperties } }, 5)).toBe(true);
    expect(encodesPublish({ ...p, properties: { userProperties, contentType: 'x' } }, 5)).toBe(
      false,
    );
  });
});
