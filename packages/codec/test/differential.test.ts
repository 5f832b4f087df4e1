/**
 * The packet table's two implementations against each other: the codec as routed (native paths
 * for PUBLISH and its acknowledgements where they apply, mqtt-packet for the rest) and the same
 * table with every packet routed through mqtt-packet. For every packet type, both protocol
 * versions and both entry points' directions, generated and mutated inputs must give the same
 * bytes (encode), the same packets (decode) and the same errors, message for message.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createStreamDecoder } from '../src/framing/stream-decoder.js';
import {
  encode,
  type Packet,
  type PacketCmd,
  type ProtocolVersion,
  type PublishPacket,
} from '../src/index.js';
import { PACKET_NAMES } from '../src/model/packets.js';
import { frameDecoder } from '../src/table/decode-frame.js';
import { encodePacket, encodePublishHeaderWith } from '../src/table/encode-packet.js';
import {
  allThroughMqttPacket,
  PACKET_TABLE,
  type PacketTable,
  type Side,
} from '../src/table/packet-table.js';
import { packetArb } from './arbitraries.js';

const VIA_MQTT_PACKET = allThroughMqttPacket();
const SIDES: Side[] = ['either', 'client'];

/** Bytes or the error, as comparable text. */
function encodeOutcome(table: PacketTable, side: Side, p: Packet, v: ProtocolVersion): string {
  try {
    return `bytes ${[...encodePacket(table, side, p, { protocolVersion: v })]}`;
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`;
  }
}

function headerOutcome(table: PacketTable, p: PublishPacket, v: ProtocolVersion): string {
  try {
    return `bytes ${[...encodePublishHeaderWith(table, p, { protocolVersion: v })]}`;
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`;
  }
}

function decodeOutcome(table: PacketTable, side: Side, bytes: Uint8Array, v: ProtocolVersion) {
  const out: { packets: Packet[]; errors: string[] } = { packets: [], errors: [] };
  const decoder = createStreamDecoder(frameDecoder(table, side), {
    protocolVersion: v,
    onPacket: (p) => out.packets.push(p),
    onError: (e) => out.errors.push(`${e.name} ${e.code} ${e.reasonCode}: ${e.message}`),
  });
  decoder.push(bytes);
  return out;
}

/** PUBLISH and acknowledgements in the shapes the native paths take, and next to them. */
const nativeShapes = (v: ProtocolVersion): fc.Arbitrary<Packet> =>
  fc.oneof(
    packetArb(v)
      .filter((p): p is PublishPacket => p.cmd === 'publish')
      .chain((p) =>
        fc
          .constantFrom<PublishPacket['properties']>(
            undefined,
            { topicAlias: 3 },
            { topicAlias: undefined },
            { topicAlias: 3, contentType: 'x' },
          )
          .map((properties): Packet => ({ ...p, properties })),
      ),
    fc
      .record({
        cmd: fc.constantFrom('puback', 'pubrec', 'pubrel', 'pubcomp'),
        packetId: fc.integer({ min: 0, max: 0x10000 }),
        reasonCode: fc.option(fc.constantFrom(0, 0x10, 0x80, 0x92, 0x97, 7), { nil: undefined }),
        properties: fc.constantFrom(
          undefined,
          {},
          { reasonString: 'r' },
          { reasonString: undefined },
        ),
      })
      .map((r) => r as Packet),
  );

/** A packet with one field replaced by an odd value (what validation or mqtt-packet refuses). */
const mutatedPacket = (v: ProtocolVersion): fc.Arbitrary<Packet> =>
  fc
    .tuple(
      fc.oneof(packetArb(v), nativeShapes(v)),
      fc.nat(),
      fc.constantFrom<unknown>(undefined, null, -1, 0, 3, 70000, '', 'x', true, [], {}),
    )
    .map(([p, at, value]) => {
      const keys = Object.keys(p).filter((k) => k !== 'cmd');
      if (keys.length === 0) return p;
      return { ...p, [keys[at % keys.length] as string]: value } as Packet;
    });

/** Frames of every type: encoded packets, with one body byte changed or the length cut. */
const frames = (v: ProtocolVersion): fc.Arbitrary<Uint8Array> =>
  fc
    .tuple(
      fc.oneof(packetArb(v), nativeShapes(v)),
      fc.nat(),
      fc.nat(255),
      fc.constantFrom('keep', 'byte', 'cut'),
    )
    .map(([p, at, byte, how]) => {
      let bytes: Uint8Array;
      try {
        bytes = Uint8Array.from(encode(p, { protocolVersion: v }));
      } catch {
        return Uint8Array.of(0xe0, 0);
      }
      const body = bytes[1]! & 0x80 ? bytes.length : 2;
      if (how === 'byte' && bytes.length > body) {
        bytes[body + (at % (bytes.length - body))] = byte;
      } else if (how === 'cut' && bytes.length > 2 && bytes[1]! < 0x80) {
        // One byte shorter, Remaining Length included: a frame whose last field is truncated.
        bytes = Uint8Array.from([bytes[0]!, bytes[1]! - 1, ...bytes.subarray(2, bytes.length - 1)]);
      }
      return bytes;
    });

describe('packet table', () => {
  it('declares every packet type once, with its number and the direction of spec 2.1.2', () => {
    const cmds = Object.keys(PACKET_TABLE) as PacketCmd[];
    expect(cmds).toHaveLength(15);
    for (const cmd of cmds) expect(PACKET_NAMES[PACKET_TABLE[cmd].type]).toBe(cmd);
    const fromClient = cmds.filter((c) => PACKET_TABLE[c].direction === 'client-to-server');
    const fromServer = cmds.filter((c) => PACKET_TABLE[c].direction === 'server-to-client');
    expect(fromClient.sort()).toEqual(['connect', 'pingreq', 'subscribe', 'unsubscribe']);
    expect(fromServer.sort()).toEqual(['connack', 'pingresp', 'suback', 'unsuback']);
  });
});

describe('native paths vs mqtt-packet', () => {
  for (const v of [4, 5] as const) {
    for (const side of SIDES) {
      it(`encode: same bytes and errors for generated and mutated packets (MQTT ${v}, ${side})`, () => {
        let native = 0;
        fc.assert(
          fc.property(fc.oneof(packetArb(v), nativeShapes(v), mutatedPacket(v)), (p) => {
            const routed = encodeOutcome(PACKET_TABLE, side, p, v);
            expect(routed).toBe(encodeOutcome(VIA_MQTT_PACKET, side, p, v));
            const route = PACKET_TABLE[p.cmd as PacketCmd];
            if (
              route &&
              routed.startsWith('bytes') &&
              route.encodedBy(p as never, v) === 'native'
            ) {
              native++;
            }
          }),
          { numRuns: 3000 },
        );
        // Not vacuous: many packets took a native path.
        expect(native).toBeGreaterThan(300);
      });
    }

    it(`encodePublishHeader: same bytes and errors (MQTT ${v})`, () => {
      fc.assert(
        fc.property(nativeShapes(v), mutatedPacket(v), (p, q) => {
          for (const packet of [p, q].filter((x): x is PublishPacket => x.cmd === 'publish')) {
            expect(headerOutcome(PACKET_TABLE, packet, v)).toBe(
              headerOutcome(VIA_MQTT_PACKET, packet, v),
            );
          }
        }),
        { numRuns: 1500 },
      );
    });

    for (const side of SIDES) {
      it(`decode: same packets and errors for generated and mutated frames (MQTT ${v}, ${side})`, () => {
        let decoded = 0;
        fc.assert(
          fc.property(frames(v), (bytes) => {
            const routed = decodeOutcome(PACKET_TABLE, side, bytes, v);
            expect(routed).toEqual(decodeOutcome(VIA_MQTT_PACKET, side, bytes, v));
            const type = bytes[0]! >> 4;
            if (routed.packets.length > 0 && type >= 3 && type <= 7) decoded++;
          }),
          { numRuns: 4000 },
        );
        expect(decoded).toBeGreaterThan(500);
      });
    }
  }
});
