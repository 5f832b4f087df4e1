import {
  type CodecError,
  createDecoder,
  type Packet,
  type ProtocolVersion,
} from '@mqttkit/codec/client';
import { describe, expect, it } from 'vitest';
import { checkInbound, type InboundContext } from '../src/inbound-rules.js';

type Want = 'ok' | 0x81 | 0x82;

const pub = (qos: 0 | 1 | 2, packetId?: number): Packet => ({
  cmd: 'publish',
  topic: 'a/b',
  payload: new Uint8Array(0),
  qos,
  retain: false,
  dup: false,
  ...(packetId === undefined ? {} : { packetId }),
});

/**
 * Each packet as the broker would send it, and the verdict per [version][before/after CONNACK],
 * with no enhanced-authentication exchange open. Written out by hand from the spec.
 */
const TABLE: [string, Packet, v4: [Want, Want], v5: [Want, Want]][] = [
  ['CONNACK', { cmd: 'connack', sessionPresent: false, reasonCode: 0 }, ['ok', 0x82], ['ok', 0x82]],
  [
    'refusing CONNACK',
    { cmd: 'connack', sessionPresent: false, reasonCode: 0x87 },
    ['ok', 0x82],
    ['ok', 0x82],
  ],
  [
    'CONNACK with properties',
    {
      cmd: 'connack',
      sessionPresent: true,
      reasonCode: 0,
      properties: { receiveMaximum: 10, topicAliasMaximum: 5 },
    },
    ['ok', 0x82],
    ['ok', 0x82],
  ],
  // Under 3.1.1 a CONNACK cannot carry properties at all: the codec refuses the bytes.
  [
    'CONNACK with an Authentication Method',
    {
      cmd: 'connack',
      sessionPresent: false,
      reasonCode: 0,
      properties: { authenticationMethod: 'SCRAM' },
    },
    ['ok', 0x82],
    [0x82, 0x82],
  ],
  ['PUBLISH QoS 0', pub(0), [0x82, 'ok'], [0x82, 'ok']],
  ['PUBLISH QoS 1', pub(1, 5), [0x82, 'ok'], [0x82, 'ok']],
  ['PUBLISH QoS 2 id 65535', pub(2, 65_535), [0x82, 'ok'], [0x82, 'ok']],
  [
    'PUBLISH with Subscription Identifiers',
    { ...pub(1, 2), properties: { subscriptionIdentifiers: [1, 7] } } as Packet,
    [0x82, 'ok'],
    [0x82, 'ok'],
  ],
  ['PUBACK', { cmd: 'puback', packetId: 1, reasonCode: 0 }, [0x82, 'ok'], [0x82, 'ok']],
  ['PUBREC', { cmd: 'pubrec', packetId: 1, reasonCode: 0x80 }, [0x82, 'ok'], [0x82, 'ok']],
  ['PUBREL', { cmd: 'pubrel', packetId: 1 }, [0x82, 'ok'], [0x82, 'ok']],
  ['PUBCOMP', { cmd: 'pubcomp', packetId: 1 }, [0x82, 'ok'], [0x82, 'ok']],
  ['SUBACK', { cmd: 'suback', packetId: 1, reasonCodes: [0, 0x80] }, [0x82, 'ok'], [0x82, 'ok']],
  ['UNSUBACK', { cmd: 'unsuback', packetId: 1, reasonCodes: [] }, [0x82, 'ok'], [0x82, 'ok']],
  ['PINGRESP', { cmd: 'pingresp' }, [0x82, 'ok'], [0x82, 'ok']],
  // MQTT 5 lets a broker DISCONNECT; before CONNACK it is let through on purpose (see source).
  ['DISCONNECT', { cmd: 'disconnect', reasonCode: 0x8b }, [0x82, 0x82], ['ok', 'ok']],
  [
    'DISCONNECT with a Server Reference',
    { cmd: 'disconnect', reasonCode: 0x9d, properties: { serverReference: 'b2' } },
    [0x82, 0x82],
    ['ok', 'ok'],
  ],
  [
    'DISCONNECT with a Session Expiry Interval',
    { cmd: 'disconnect', reasonCode: 0, properties: { sessionExpiryInterval: 60 } },
    [0x82, 0x82],
    [0x82, 0x82],
  ],
  [
    'DISCONNECT 0x04 (with Will)',
    { cmd: 'disconnect', reasonCode: 0x04 },
    [0x82, 0x82],
    [0x82, 0x82],
  ],
  [
    'AUTH',
    { cmd: 'auth', reasonCode: 0x18, properties: { authenticationMethod: 'SCRAM' } },
    [0x82, 0x82],
    [0x82, 0x82],
  ],
];

const ctx = (
  protocolVersion: 4 | 5,
  connackReceived: boolean,
  awaitingAuth?: boolean,
): InboundContext =>
  awaitingAuth === undefined
    ? { protocolVersion, connackReceived }
    : { protocolVersion, connackReceived, awaitingAuth };

const verdict = (packet: Packet, c: InboundContext): Want => {
  const result = checkInbound(packet, c);
  if (result === undefined) return 'ok';
  expect(result.message.length).toBeGreaterThan(10);
  return result.reasonCode;
};

describe('checkInbound', () => {
  describe.each([4, 5] as const)('MQTT %s', (v) => {
    it.each(TABLE)('%s', (_name, packet, v4, v5) => {
      const [before, after] = v === 4 ? v4 : v5;
      expect(verdict(packet, ctx(v, false))).toBe(before);
      expect(verdict(packet, ctx(v, true))).toBe(after);
      // Omitting awaitingAuth means false.
      expect(verdict(packet, ctx(v, false, false))).toBe(before);
      expect(verdict(packet, ctx(v, true, false))).toBe(after);
    });
  });

  describe('during an enhanced-authentication exchange (MQTT 5)', () => {
    const method = { authenticationMethod: 'SCRAM-SHA-1' };
    const AUTH: [string, Packet, before: Want, after: Want][] = [
      ['AUTH 0x18 Continue', { cmd: 'auth', reasonCode: 0x18, properties: method }, 'ok', 'ok'],
      // Success ends a re-authentication; the first authentication ends with CONNACK.
      ['AUTH 0x00 Success', { cmd: 'auth', reasonCode: 0x00, properties: method }, 0x82, 'ok'],
      ['AUTH without a reason code (Success)', { cmd: 'auth', properties: method }, 0x82, 'ok'],
      [
        'AUTH 0x19 Re-authenticate',
        { cmd: 'auth', reasonCode: 0x19, properties: method },
        0x82,
        0x82,
      ],
      ['AUTH without an Authentication Method', { cmd: 'auth', reasonCode: 0x18 }, 0x82, 0x82],
      [
        'CONNACK with an Authentication Method',
        { cmd: 'connack', sessionPresent: false, reasonCode: 0, properties: method },
        'ok',
        0x82,
      ],
      ['PUBLISH', pub(0), 0x82, 'ok'],
    ];
    it.each(AUTH)('%s', (_name, packet, before, after) => {
      expect(verdict(packet, ctx(5, false, true))).toBe(before);
      expect(verdict(packet, ctx(5, true, true))).toBe(after);
    });

    it('refuses AUTH under MQTT 3.1.1 even with the flag set', () => {
      const auth: Packet = { cmd: 'auth', reasonCode: 0x18, properties: method };
      expect(verdict(auth, ctx(4, false, true))).toBe(0x82);
      expect(verdict(auth, ctx(4, true, true))).toBe(0x82);
    });
  });

  it('cites the spec in its messages', () => {
    expect(checkInbound(pub(0), ctx(5, false))?.message).toContain('[MQTT-3.2.0-1]');
    expect(
      checkInbound({ cmd: 'connack', sessionPresent: false, reasonCode: 0 }, ctx(4, true))?.message,
    ).toContain('[MQTT-3.2.0-2]');
    expect(
      checkInbound(
        { cmd: 'disconnect', reasonCode: 0, properties: { sessionExpiryInterval: 1 } },
        ctx(5, true),
      )?.message,
    ).toContain('[MQTT-3.14.2-2]');
  });
});

/** Rules this module leaves to the codec: prove the decoder already refuses these bytes. */
describe('left to the codec', () => {
  const decode = (hex: string, v: ProtocolVersion): { packets: Packet[]; error?: CodecError } => {
    const out: { packets: Packet[]; error?: CodecError } = { packets: [] };
    const decoder = createDecoder({
      protocolVersion: v,
      onPacket: (p) => out.packets.push(p),
      onError: (e) => {
        out.error = e;
      },
    });
    decoder.push(Uint8Array.from(hex.split(' ').map((b) => Number.parseInt(b, 16))));
    return out;
  };

  it.each<[string, string, ProtocolVersion, number]>([
    ['PUBLISH with Subscription Identifier 0', '30 06 00 01 61 02 0b 00', 5, 0x82],
    ['PUBLISH with Topic Alias 0', '30 07 00 01 61 03 23 00 00', 5, 0x82],
    ['QoS 1 PUBLISH with Packet Identifier 0', '32 05 00 01 61 00 00', 4, 0x82],
    ['CONNACK with properties under 3.1.1', '20 03 00 00 00', 4, 0x81],
    ['CONNACK with Receive Maximum 0', '20 06 00 00 03 21 00 00', 5, 0x82],
    ['CONNACK refusing with Session Present', '20 03 01 87 00', 5, 0x82],
    ['AUTH under 3.1.1', 'f0 00', 4, 0x81],
    [
      'a client-only property (Will Delay Interval) in CONNACK',
      '20 08 00 00 05 18 00 00 00 01',
      5,
      0x81,
    ],
    ['PUBLISH to an empty topic without an alias', '30 03 00 00 00', 5, 0x82],
    // Client-to-server only (spec 2.1.2, table 2-1 "Direction of flow", both versions).
    ['CONNECT', '10 0d 00 04 4d 51 54 54 04 02 00 00 00 01 78', 4, 0x82],
    ['CONNECT', '10 0e 00 04 4d 51 54 54 05 02 00 00 00 00 01 78', 5, 0x82],
    ['SUBSCRIBE', '82 06 00 01 00 01 61 00', 4, 0x82],
    ['SUBSCRIBE', '82 07 00 01 00 00 01 61 00', 5, 0x82],
    ['UNSUBSCRIBE', 'a2 05 00 01 00 01 61', 4, 0x82],
    ['UNSUBSCRIBE', 'a2 06 00 01 00 00 01 61', 5, 0x82],
    ['PINGREQ', 'c0 00', 4, 0x82],
    ['PINGREQ', 'c0 00', 5, 0x82],
  ])('%s', (_name, hex, v, reasonCode) => {
    const { packets, error } = decode(hex, v);
    expect(packets).toEqual([]);
    expect(error?.reasonCode).toBe(reasonCode);
  });

  it('hands over packets this module then judges', () => {
    // A v5 PUBLISH QoS 1 with two Subscription Identifiers, a valid broker packet.
    const { packets, error } = decode('32 0b 00 01 61 00 07 04 0b 01 0b 02 ff', 5);
    expect(error).toBeUndefined();
    expect(packets).toHaveLength(1);
    expect(checkInbound(packets[0]!, ctx(5, true))).toBeUndefined();
    expect(checkInbound(packets[0]!, ctx(5, false))?.reasonCode).toBe(0x82);
  });
});
