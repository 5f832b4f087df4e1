/**
 * `@mqttkit/codec/client` (src/client.ts): the full codec restricted to the client's direction.
 * What it does accept must be exactly what the full entry does with the same input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as client from '../src/client.js';
import * as full from '../src/index.js';
import { packetArb } from './arbitraries.js';

type Codec = Pick<typeof full, 'encode' | 'createDecoder'>;
const VERSIONS = [4, 5] as const;

/** What a server sends and a client never does, one of each. */
const serverOnly = (v: full.ProtocolVersion): full.Packet[] => [
  { cmd: 'connack', sessionPresent: false, reasonCode: 0 },
  { cmd: 'suback', packetId: 1, reasonCodes: [0] },
  // MQTT 3.1.1 UNSUBACK has no reason codes; MQTT 5 has one per topic filter.
  { cmd: 'unsuback', packetId: 1, reasonCodes: v === 5 ? [0] : [] },
  { cmd: 'pingresp' },
];

/** What a client sends and a server never does. */
const CLIENT_ONLY: full.Packet[] = [
  { cmd: 'connect', clientId: 'c', clean: true, keepalive: 10 },
  { cmd: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: 'a/#', qos: 1 }] },
  { cmd: 'unsubscribe', packetId: 1, topicFilters: ['a/#'] },
  { cmd: 'pingreq' },
];
const clientOnlyCmds = new Set(CLIENT_ONLY.map((p) => p.cmd));
const serverOnlyCmds = new Set(serverOnly(5).map((p) => p.cmd));

interface Outcome {
  packets: full.Packet[];
  errors: { name: string; code: string; reasonCode: number | undefined; message: string }[];
}

function decodeWith(codec: Codec, bytes: Uint8Array, v: full.ProtocolVersion): Outcome {
  const out: Outcome = { packets: [], errors: [] };
  const decoder = codec.createDecoder({
    protocolVersion: v,
    onPacket: (p) => out.packets.push(p),
    onError: (e) =>
      out.errors.push({ name: e.name, code: e.code, reasonCode: e.reasonCode, message: e.message }),
  });
  decoder.push(bytes);
  return out;
}

function encodeWith(codec: Codec, p: full.Packet, v: full.ProtocolVersion): number[] | string {
  try {
    return [...codec.encode(p, { protocolVersion: v })];
  } catch (e) {
    return `${(e as full.CodecError).code}: ${(e as Error).message}`;
  }
}

describe('@mqttkit/codec/client encode', () => {
  for (const v of VERSIONS) {
    it(`refuses every packet only a server sends (MQTT ${v})`, () => {
      for (const packet of serverOnly(v)) {
        // The full entry encodes it: the refusal is the direction, not the packet.
        expect(full.encode(packet, { protocolVersion: v }).length).toBeGreaterThan(0);
        let error: unknown;
        try {
          client.encode(packet, { protocolVersion: v });
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(client.InvalidPacketError);
        expect((error as client.CodecError).code).toBe('MQTTKIT_ERR_INVALID_PACKET');
        expect((error as Error).message).toBe(
          `Invalid packet: ${packet.cmd.toUpperCase()} is sent by a server; ` +
            '@mqttkit/codec/client encodes client-to-server packets only',
        );
      }
    });

    it(`encodes every packet a client sends exactly like the full entry (MQTT ${v})`, () => {
      const sent = new Set<string>();
      fc.assert(
        fc.property(
          packetArb(v).filter((p) => !serverOnlyCmds.has(p.cmd)),
          (packet) => {
            sent.add(packet.cmd);
            expect(encodeWith(client, packet, v)).toEqual([
              ...full.encode(packet, { protocolVersion: v }),
            ]);
            if (packet.cmd === 'publish') {
              expect(client.encodePublishHeader(packet, { protocolVersion: v })).toEqual(
                full.encodePublishHeader(packet, { protocolVersion: v }),
              );
            }
          },
        ),
        { numRuns: 1500, seed: 0xc1 + v },
      );
      expect(sent.size).toBe(v === 5 ? 11 : 10);
    });

    it(`refuses invalid packets with the full entry's errors (MQTT ${v})`, () => {
      const bad = [
        { cmd: 'publish', topic: 'a/+', payload: new Uint8Array(0), qos: 0, retain: false },
        { cmd: 'subscribe', packetId: 1, subscriptions: [] },
        { cmd: 'connect', clientId: 'c', clean: true, keepalive: -1 },
        { cmd: 'puback', packetId: 0 },
        { cmd: 'nonsense' },
        null,
      ] as unknown as full.Packet[];
      for (const packet of bad) {
        const ours = encodeWith(client, packet, v);
        expect(ours).toMatch(/^MQTTKIT_ERR_INVALID_PACKET: /);
        expect(ours).toBe(encodeWith(full, packet, v));
      }
    });
  }
});

describe('@mqttkit/codec/client decoder', () => {
  for (const v of VERSIONS) {
    it(`decodes every packet a server sends exactly like the full entry (MQTT ${v})`, () => {
      const seen = new Set<string>();
      fc.assert(
        fc.property(
          packetArb(v).filter((p) => !clientOnlyCmds.has(p.cmd)),
          (packet) => {
            seen.add(packet.cmd);
            const bytes = full.encode(packet, { protocolVersion: v });
            const ours = decodeWith(client, bytes, v);
            expect(ours).toEqual(decodeWith(full, bytes, v));
            expect(ours.packets).toEqual([packet]);
          },
        ),
        { numRuns: 1500, seed: 0xd1 + v },
      );
      expect(seen.size).toBe(v === 5 ? 11 : 10);
    });

    it(`reports a ProtocolError for every packet only a client sends (MQTT ${v})`, () => {
      for (const packet of CLIENT_ONLY) {
        const bytes = full.encode(packet, { protocolVersion: v });
        // Well formed: the full entry decodes it.
        expect(decodeWith(full, bytes, v).packets.map((p) => p.cmd)).toEqual([packet.cmd]);
        expect(decodeWith(client, bytes, v)).toEqual({
          packets: [],
          errors: [
            {
              name: 'ProtocolError',
              code: 'MQTTKIT_ERR_PROTOCOL',
              reasonCode: 0x82,
              message: `Protocol error: received ${packet.cmd.toUpperCase()}, which only a client may send`,
            },
          ],
        });
      }
    });

    it(`reports the same errors as the full entry for mutated server packets (MQTT ${v})`, () => {
      const corpus = fc
        .sample(
          packetArb(v).filter((p) => !clientOnlyCmds.has(p.cmd)),
          { numRuns: 200, seed: 0xe1 + v },
        )
        .map((p) => full.encode(p, { protocolVersion: v }));
      let errors = 0;
      fc.assert(
        fc.property(
          fc.nat(corpus.length - 1),
          fc.array(fc.tuple(fc.nat(), fc.nat(255)), { minLength: 1, maxLength: 3 }),
          (i, flips) => {
            const input = Uint8Array.from(corpus[i]!);
            for (const [at, value] of flips) input[at % input.length] = value;
            const ours = decodeWith(client, input, v);
            const theirs = decodeWith(full, input, v);
            errors += ours.errors.length;
            // A flip may make a frame (or, through its length, a second frame) one that only a
            // client sends: there alone the client entry stops where the full one decodes on.
            const refused = ours.errors[0]?.message.match(/received (\w+), which only a client/);
            if (refused) {
              expect(clientOnlyCmds.has(refused[1]!.toLowerCase() as full.PacketCmd)).toBe(true);
              expect(theirs.packets.slice(0, ours.packets.length)).toEqual(ours.packets);
            } else {
              expect(ours).toEqual(theirs);
            }
          },
        ),
        { numRuns: 3000, seed: 0xf1 + v },
      );
      expect(errors).toBeGreaterThan(500);
    });
  }

  it('checks the fixed-header flags of a client-only packet first (Malformed, 0x81)', () => {
    // SUBSCRIBE must have flags 0010 [MQTT-3.8.1-1]; here they are 0000.
    const bytes = Uint8Array.of(0x80, 0x06, 0x00, 0x01, 0x00, 0x01, 0x61, 0x00);
    expect(decodeWith(client, bytes, 4).errors.map((e) => [e.code, e.reasonCode])).toEqual([
      ['MQTTKIT_ERR_MALFORMED_PACKET', 0x81],
    ]);
  });
});
