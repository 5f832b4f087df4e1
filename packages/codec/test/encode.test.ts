import { describe, expect, it } from 'vitest';
import { encode, InvalidPacketError, type Packet, type ProtocolVersion } from '../src/index.js';

const publish = (extra: Partial<Extract<Packet, { cmd: 'publish' }>>): Packet => ({
  cmd: 'publish',
  topic: 'a/b',
  payload: new Uint8Array(0),
  qos: 0,
  retain: false,
  dup: false,
  ...extra,
});

/** Builds a packet from untyped input, as a JavaScript caller could. */
const raw = (p: Record<string, unknown>): Packet => p as unknown as Packet;

describe('encode refuses invalid packets with InvalidPacketError', () => {
  const cases: [string, Packet, ProtocolVersion, RegExp][] = [
    ['PUBLISH topic with a wildcard', publish({ topic: 'a/+' }), 4, /PUBLISH topic.*wildcards/],
    ['PUBLISH empty topic under 3.1.1', publish({ topic: '' }), 4, /must not be empty/],
    ['PUBLISH QoS 3', raw({ ...publish({}), qos: 3, packetId: 1 }), 4, /qos must be 0, 1 or 2/],
    [
      'PUBLISH QoS 1 without packetId',
      publish({ qos: 1 }),
      5,
      /packetId must be an integer 1-65535/,
    ],
    ['PUBLISH QoS 1 packetId 0', publish({ qos: 1, packetId: 0 }), 5, /packetId.*got 0/],
    ['PUBLISH QoS 0 with packetId', publish({ packetId: 3 }), 4, /must not have a packetId/],
    ['PUBLISH QoS 0 with dup', publish({ dup: true }), 4, /must not set dup/],
    ['PUBLISH topic with U+0000', publish({ topic: 'a\u0000b' }), 4, /U\+0000/],
    ['PUBLISH topic with a lone surrogate', publish({ topic: 'a\ud800' }), 4, /lone surrogate/],
    [
      'PUBLISH payload not bytes',
      raw({ ...publish({}), payload: 'text' }),
      4,
      /payload must be a Uint8Array/,
    ],
    [
      'properties under 3.1.1',
      publish({ properties: { topicAlias: 1 } }),
      4,
      /properties need MQTT 5/,
    ],
    [
      'property not allowed in packet',
      raw({ cmd: 'puback', packetId: 1, properties: { topicAlias: 1 } }),
      5,
      /topicAlias is not allowed in puback/,
    ],
    [
      'unknown property',
      raw({ ...publish({}), properties: { bogus: 1 } }),
      5,
      /unknown property bogus/,
    ],
    [
      'Topic Alias 0',
      publish({ properties: { topicAlias: 0 } }),
      5,
      /topicAlias must be an integer 1-65535/,
    ],
    ['AUTH under 3.1.1', { cmd: 'auth', reasonCode: 0 }, 4, /AUTH is an MQTT 5 packet/],
    [
      'reason code under 3.1.1',
      { cmd: 'puback', packetId: 1, reasonCode: 0x80 },
      4,
      /reasonCode needs MQTT 5/,
    ],
    [
      'invalid PUBREL reason code',
      { cmd: 'pubrel', packetId: 1, reasonCode: 0x80 },
      5,
      /reasonCode 128 is not valid/,
    ],
    [
      'SUBSCRIBE without subscriptions',
      { cmd: 'subscribe', packetId: 1, subscriptions: [] },
      4,
      /at least one subscription/,
    ],
    [
      'SUBSCRIBE bad filter',
      { cmd: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: 'a/#/b', qos: 0 }] },
      4,
      /'#' must be the last level/,
    ],
    [
      'SUBSCRIBE MQTT 5 options under 3.1.1',
      {
        cmd: 'subscribe',
        packetId: 1,
        subscriptions: [{ topicFilter: 'a', qos: 0, noLocal: true }],
      },
      4,
      /need MQTT 5/,
    ],
    [
      'SUBSCRIBE No Local on a shared subscription',
      {
        cmd: 'subscribe',
        packetId: 1,
        subscriptions: [{ topicFilter: '$share/g/a', qos: 0, noLocal: true }],
      },
      5,
      /MQTT-3\.8\.3-4/,
    ],
    [
      'UNSUBACK reason codes under 3.1.1',
      { cmd: 'unsuback', packetId: 1, reasonCodes: [0] },
      4,
      /need MQTT 5/,
    ],
    [
      'CONNECT password without username',
      { cmd: 'connect', clientId: 'c', clean: true, keepalive: 0, password: new Uint8Array(1) },
      4,
      /password needs a username/,
    ],
    [
      'CONNECT keepalive out of range',
      { cmd: 'connect', clientId: 'c', clean: true, keepalive: 70000 },
      4,
      /keepalive/,
    ],
    [
      'CONNECT protocolVersion mismatch',
      { cmd: 'connect', protocolVersion: 5, clientId: 'c', clean: true, keepalive: 0 },
      4,
      /differs/,
    ],
    [
      'CONNACK refusal with session present',
      { cmd: 'connack', sessionPresent: true, reasonCode: 5 },
      4,
      /sessionPresent/,
    ],
    ['unknown cmd', raw({ cmd: 'hello' }), 4, /unknown cmd 'hello'/],
    [
      'user property value not a string',
      raw({ cmd: 'disconnect', properties: { userProperties: { a: 1 } } }),
      5,
      /must be a string/,
    ],
  ];
  for (const [name, packet, v, message] of cases) {
    it(name, () => {
      let caught: unknown;
      try {
        encode(packet, { protocolVersion: v });
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(InvalidPacketError);
      const err = caught as InvalidPacketError;
      expect(err.code).toBe('MQTTKIT_ERR_INVALID_PACKET');
      expect(err.message).toMatch(message);
    });
  }

  it('refuses an unknown protocol version', () => {
    expect(() => encode({ cmd: 'pingreq' }, { protocolVersion: 3 as ProtocolVersion })).toThrow(
      InvalidPacketError,
    );
  });

  it('wraps any failure below the validation (mqtt-packet, Buffer) in InvalidPacketError', () => {
    // A payload whose reported size exceeds its memory makes the Buffer view throw a RangeError.
    class Liar extends Uint8Array {
      override get byteLength(): number {
        return 1 << 20;
      }
    }
    let caught: unknown;
    try {
      // A password is handed to mqtt-packet as a Buffer view over the same memory.
      encode(
        {
          cmd: 'connect',
          clientId: 'c',
          clean: true,
          keepalive: 0,
          username: 'u',
          password: new Liar(4),
        },
        { protocolVersion: 5 },
      );
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(InvalidPacketError);
    expect((caught as Error).cause).toBeInstanceOf(RangeError);
  });

  it('is pure: the same packet gives equal bytes and the input is not modified', () => {
    const packet: Packet = {
      cmd: 'puback',
      packetId: 4,
      reasonCode: 0x10,
      properties: { reasonString: 'r', userProperties: { a: ['1', '2'] } },
    };
    const copy = structuredClone(packet);
    const a = encode(packet, { protocolVersion: 5 });
    const b = encode(packet, { protocolVersion: 5 });
    expect(a).toEqual(b);
    expect(packet).toEqual(copy);
  });
});

describe('User Properties that hold no pair', () => {
  // mqtt-packet 9.0.2 writes nothing at all for them (its length check counts 0 as a refusal and
  // returns before the fixed header): before, `encode` gave 0 bytes and the packet was lost.
  const none = [{}, { a: [] }, { a: [], b: [] }];
  const cases: [string, Packet, Packet][] = [
    ['PUBLISH, no other property', publish({}), publish({})],
    [
      'PUBLISH with a Topic Alias',
      publish({ properties: { topicAlias: 3 } }),
      publish({ properties: { topicAlias: 3 } }),
    ],
    [
      'PUBLISH with a Content Type (mqtt-packet writes it)',
      publish({ properties: { contentType: 'text/plain' } }),
      publish({ properties: { contentType: 'text/plain' } }),
    ],
    [
      'SUBSCRIBE',
      { cmd: 'subscribe', packetId: 2, subscriptions: [{ topicFilter: 'a/#', qos: 1 }] },
      { cmd: 'subscribe', packetId: 2, subscriptions: [{ topicFilter: 'a/#', qos: 1 }] },
    ],
  ];
  for (const [name, packet, without] of cases) {
    for (const userProperties of none) {
      it(`${name}: ${JSON.stringify(userProperties)} is sent as no User Property`, () => {
        const p = {
          ...packet,
          properties: { ...(packet as { properties?: object }).properties, userProperties },
        } as Packet;
        const bytes = encode(p, { protocolVersion: 5 });
        expect(bytes.length).toBeGreaterThan(2);
        expect(Buffer.from(bytes).toString('hex')).toBe(
          Buffer.from(encode(without, { protocolVersion: 5 })).toString('hex'),
        );
      });
    }
  }
});
