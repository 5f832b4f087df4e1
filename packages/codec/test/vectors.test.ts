/**
 * Byte vectors written by hand from the MQTT 3.1.1 and 5.0 specifications (chapter 3 layouts).
 * Each runs through decode, encode, round trip and 1-byte chunking (`checkVector`).
 */
import { describe, expect, it } from 'vitest';
import type { Packet } from '../src/index.js';
import { checkVector, str, u16, utf8 } from './helpers.js';

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);

interface Vector {
  name: string;
  packet: Packet;
  wire: number[];
  decodeOnly?: boolean;
}

const v4: Vector[] = [
  {
    name: 'CONNECT with will, username and password',
    packet: {
      cmd: 'connect',
      protocolVersion: 4,
      clientId: 'client',
      clean: true,
      keepalive: 60,
      username: 'user',
      password: bytes(0x70, 0x77),
      will: { topic: 'will/t', payload: bytes(0x62, 0x79, 0x65), qos: 1, retain: false },
    },
    wire: [
      0x10,
      41, // CONNECT, Remaining Length 41
      ...str('MQTT'),
      4, // Protocol Name, Protocol Level 4
      0xce, // flags: username 0x80 | password 0x40 | will QoS 1 0x08 | will 0x04 | clean 0x02
      ...u16(60), // Keep Alive
      ...str('client'), // Client Identifier
      ...str('will/t'), // Will Topic
      ...u16(3),
      0x62,
      0x79,
      0x65, // Will Payload "bye"
      ...str('user'), // User Name
      ...u16(2),
      0x70,
      0x77, // Password
    ],
  },
  {
    name: 'CONNACK session present, accepted',
    packet: { cmd: 'connack', sessionPresent: true, reasonCode: 0 },
    wire: [0x20, 2, 0x01 /* Session Present */, 0x00 /* Connection Accepted */],
  },
  {
    name: 'CONNACK refused, not authorized (return code 5)',
    packet: { cmd: 'connack', sessionPresent: false, reasonCode: 5 },
    wire: [0x20, 2, 0x00, 0x05],
  },
  {
    name: 'PUBLISH QoS 0 retained',
    packet: {
      cmd: 'publish',
      topic: 'a/b',
      payload: bytes(0x68, 0x69),
      qos: 0,
      retain: true,
      dup: false,
    },
    wire: [
      0x31,
      7, // PUBLISH, RETAIN; Remaining Length 7
      ...str('a/b'), // Topic Name
      0x68,
      0x69, // payload "hi"
    ],
  },
  {
    name: 'PUBLISH QoS 2 DUP',
    packet: {
      cmd: 'publish',
      topic: 'a',
      payload: bytes(1, 2, 3),
      qos: 2,
      retain: false,
      dup: true,
      packetId: 0x1234,
    },
    wire: [
      0x3c,
      8, // PUBLISH, DUP 0x08 | QoS 2 0x04
      ...str('a'), // Topic Name
      0x12,
      0x34, // Packet Identifier
      1,
      2,
      3, // payload
    ],
  },
  {
    name: 'PUBACK',
    packet: { cmd: 'puback', packetId: 7, reasonCode: 0 },
    wire: [0x40, 2, ...u16(7)],
  },
  {
    name: 'PUBREC',
    packet: { cmd: 'pubrec', packetId: 8, reasonCode: 0 },
    wire: [0x50, 2, ...u16(8)],
  },
  {
    name: 'PUBREL (flags 0010)',
    packet: { cmd: 'pubrel', packetId: 9, reasonCode: 0 },
    wire: [0x62, 2, ...u16(9)],
  },
  {
    name: 'PUBCOMP',
    packet: { cmd: 'pubcomp', packetId: 10, reasonCode: 0 },
    wire: [0x70, 2, ...u16(10)],
  },
  {
    name: 'SUBSCRIBE two filters',
    packet: {
      cmd: 'subscribe',
      packetId: 11,
      subscriptions: [
        { topicFilter: 'a/+', qos: 1 },
        { topicFilter: '#', qos: 2 },
      ],
    },
    wire: [
      0x82,
      12, // SUBSCRIBE, flags 0010
      ...u16(11), // Packet Identifier
      ...str('a/+'),
      0x01, // filter, Requested QoS 1
      ...str('#'),
      0x02, // filter, Requested QoS 2
    ],
  },
  {
    name: 'SUBACK granted 1 and failure',
    packet: { cmd: 'suback', packetId: 11, reasonCodes: [1, 0x80] },
    wire: [0x90, 4, ...u16(11), 0x01, 0x80],
  },
  {
    name: 'UNSUBSCRIBE',
    packet: { cmd: 'unsubscribe', packetId: 12, topicFilters: ['a/+'] },
    wire: [0xa2, 7, ...u16(12), ...str('a/+')],
  },
  {
    name: 'UNSUBACK (no payload in 3.1.1)',
    packet: { cmd: 'unsuback', packetId: 12, reasonCodes: [] },
    wire: [0xb0, 2, ...u16(12)],
  },
  { name: 'PINGREQ', packet: { cmd: 'pingreq' }, wire: [0xc0, 0] },
  { name: 'PINGRESP', packet: { cmd: 'pingresp' }, wire: [0xd0, 0] },
  {
    name: 'DISCONNECT',
    packet: { cmd: 'disconnect', reasonCode: 0 },
    wire: [0xe0, 0],
  },
  {
    name: 'PUBLISH with a 2-byte Remaining Length (200-byte payload)',
    packet: {
      cmd: 'publish',
      topic: 't',
      payload: new Uint8Array(200).fill(0xab),
      qos: 0,
      retain: false,
      dup: false,
    },
    wire: [
      0x30,
      0xcb,
      0x01, // Remaining Length 203 = 0x4b + 1 * 128
      ...str('t'),
      ...new Array<number>(200).fill(0xab),
    ],
  },
];

const v5: Vector[] = [
  {
    name: 'CONNECT with properties',
    packet: {
      cmd: 'connect',
      protocolVersion: 5,
      clientId: 'c',
      clean: true,
      keepalive: 30,
      properties: { sessionExpiryInterval: 3600, receiveMaximum: 20, userProperties: { k: 'v' } },
    },
    wire: [
      0x10,
      29, // CONNECT
      ...str('MQTT'),
      5, // Protocol Name, Protocol Level 5
      0x02, // Clean Start
      ...u16(30), // Keep Alive
      15, // Property Length
      0x11,
      0x00,
      0x00,
      0x0e,
      0x10, // Session Expiry Interval 3600
      0x21,
      ...u16(20), // Receive Maximum 20
      0x26,
      ...str('k'),
      ...str('v'), // User Property k=v
      ...str('c'), // Client Identifier
    ],
  },
  {
    name: 'CONNECT with will properties and username only',
    packet: {
      cmd: 'connect',
      protocolVersion: 5,
      clientId: '',
      clean: true,
      keepalive: 0,
      username: 'u',
      will: {
        topic: 't',
        payload: bytes(),
        qos: 0,
        retain: false,
        properties: { willDelayInterval: 10 },
      },
    },
    wire: [
      0x10,
      27,
      ...str('MQTT'),
      5,
      0x86, // User Name 0x80 | Will 0x04 | Clean Start 0x02
      ...u16(0), // Keep Alive 0
      0, // Property Length 0
      ...str(''), // empty Client Identifier
      5,
      0x18,
      0x00,
      0x00,
      0x00,
      0x0a, // Will Properties: Will Delay Interval 10
      ...str('t'), // Will Topic
      ...u16(0), // empty Will Payload
      ...str('u'), // User Name
    ],
  },
  {
    name: 'CONNACK with properties',
    packet: {
      cmd: 'connack',
      sessionPresent: false,
      reasonCode: 0,
      properties: {
        topicAliasMaximum: 10,
        serverKeepAlive: 120,
        maximumQoS: 1,
        retainAvailable: false,
        assignedClientIdentifier: 'id',
      },
    },
    wire: [
      0x20,
      18,
      0x00, // Connect Acknowledge Flags
      0x00, // Reason Code Success
      15, // Property Length
      0x22,
      ...u16(10), // Topic Alias Maximum
      0x13,
      ...u16(120), // Server Keep Alive
      0x24,
      0x01, // Maximum QoS 1
      0x25,
      0x00, // Retain Available 0
      0x12,
      ...str('id'), // Assigned Client Identifier
    ],
  },
  {
    name: 'CONNACK refused, Not authorized',
    packet: { cmd: 'connack', sessionPresent: false, reasonCode: 0x87 },
    wire: [0x20, 3, 0x00, 0x87, 0],
  },
  {
    name: 'PUBLISH QoS 1 with properties and repeated Subscription Identifiers',
    packet: {
      cmd: 'publish',
      topic: 'a/b',
      payload: bytes(0x78),
      qos: 1,
      retain: false,
      dup: false,
      packetId: 5,
      properties: {
        payloadFormatIndicator: true,
        topicAlias: 3,
        userProperties: { a: ['1', '2'] },
        subscriptionIdentifiers: [1, 200],
      },
    },
    wire: [
      0x32,
      33, // PUBLISH QoS 1
      ...str('a/b'), // Topic Name
      ...u16(5), // Packet Identifier
      24, // Property Length
      0x01,
      0x01, // Payload Format Indicator: UTF-8
      0x23,
      ...u16(3), // Topic Alias 3
      0x26,
      ...str('a'),
      ...str('1'), // User Property a=1
      0x26,
      ...str('a'),
      ...str('2'), // User Property a=2
      0x0b,
      0x01, // Subscription Identifier 1
      0x0b,
      0xc8,
      0x01, // Subscription Identifier 200 (Variable Byte Integer)
      0x78, // payload "x"
    ],
  },
  {
    name: 'PUBLISH with empty topic and Topic Alias',
    packet: {
      cmd: 'publish',
      topic: '',
      payload: bytes(),
      qos: 0,
      retain: false,
      dup: false,
      properties: { topicAlias: 3 },
    },
    wire: [0x30, 6, ...str(''), 3, 0x23, ...u16(3)],
  },
  {
    name: 'PUBACK with reason code and reason string',
    packet: {
      cmd: 'puback',
      packetId: 7,
      reasonCode: 0x10,
      properties: { reasonString: 'none' },
    },
    wire: [
      0x40,
      11,
      ...u16(7), // Packet Identifier
      0x10, // No matching subscribers
      7,
      0x1f,
      ...str('none'), // Property Length, Reason String
    ],
  },
  {
    name: 'PUBACK with reason code, properties omitted',
    packet: { cmd: 'puback', packetId: 7, reasonCode: 0x10 },
    // [MQTT-3.4.2.1]: Property Length may be omitted; encode writes it (0) instead.
    wire: [0x40, 3, ...u16(7), 0x10],
    decodeOnly: true,
  },
  {
    name: 'PUBREC Success, reason code omitted',
    packet: { cmd: 'pubrec', packetId: 8, reasonCode: 0 },
    wire: [0x50, 2, ...u16(8)],
  },
  {
    name: 'PUBREL Packet Identifier not found',
    packet: { cmd: 'pubrel', packetId: 9, reasonCode: 0x92 },
    wire: [0x62, 4, ...u16(9), 0x92, 0],
  },
  {
    name: 'PUBCOMP',
    packet: { cmd: 'pubcomp', packetId: 10, reasonCode: 0 },
    wire: [0x70, 2, ...u16(10)],
  },
  {
    name: 'SUBSCRIBE with options and Subscription Identifier',
    packet: {
      cmd: 'subscribe',
      packetId: 11,
      subscriptions: [
        {
          topicFilter: 'a/+',
          qos: 1,
          noLocal: true,
          retainAsPublished: true,
          retainHandling: 2,
        },
        {
          topicFilter: '$share/g/x',
          qos: 0,
          noLocal: false,
          retainAsPublished: false,
          retainHandling: 1,
        },
      ],
      properties: { subscriptionIdentifier: 5 },
    },
    wire: [
      0x82,
      24,
      ...u16(11), // Packet Identifier
      2,
      0x0b,
      0x05, // Property Length, Subscription Identifier 5
      ...str('a/+'),
      0x2d, // QoS 1 | No Local 0x04 | RAP 0x08 | Retain Handling 2 0x20
      ...str('$share/g/x'),
      0x10, // QoS 0 | Retain Handling 1
    ],
  },
  {
    name: 'SUBACK',
    packet: { cmd: 'suback', packetId: 11, reasonCodes: [1, 0x87, 0xa2] },
    wire: [0x90, 6, ...u16(11), 0, 0x01, 0x87, 0xa2],
  },
  {
    name: 'UNSUBSCRIBE',
    packet: { cmd: 'unsubscribe', packetId: 12, topicFilters: ['a/+'] },
    wire: [0xa2, 8, ...u16(12), 0, ...str('a/+')],
  },
  {
    name: 'UNSUBACK',
    packet: { cmd: 'unsuback', packetId: 12, reasonCodes: [0x00, 0x11] },
    wire: [0xb0, 5, ...u16(12), 0, 0x00, 0x11],
  },
  { name: 'PINGREQ', packet: { cmd: 'pingreq' }, wire: [0xc0, 0] },
  { name: 'PINGRESP', packet: { cmd: 'pingresp' }, wire: [0xd0, 0] },
  {
    name: 'DISCONNECT with reason and properties',
    packet: {
      cmd: 'disconnect',
      reasonCode: 0x8e,
      properties: { sessionExpiryInterval: 0, reasonString: 'bye' },
    },
    wire: [
      0xe0,
      13,
      0x8e, // Session taken over
      11, // Property Length
      0x11,
      0,
      0,
      0,
      0, // Session Expiry Interval 0
      0x1f,
      ...str('bye'), // Reason String
    ],
  },
  {
    name: 'DISCONNECT with Remaining Length 0 (Normal disconnection)',
    packet: { cmd: 'disconnect', reasonCode: 0 },
    wire: [0xe0, 0],
    decodeOnly: true, // encode always writes the reason code and an empty property block
  },
  {
    name: 'DISCONNECT with reason code only',
    packet: { cmd: 'disconnect', reasonCode: 0x04 },
    wire: [0xe0, 1, 0x04],
    decodeOnly: true,
  },
  {
    name: 'AUTH continue authentication',
    packet: {
      cmd: 'auth',
      reasonCode: 0x18,
      properties: { authenticationMethod: 'SCRAM', authenticationData: bytes(1, 2) },
    },
    wire: [
      0xf0,
      15,
      0x18, // Continue authentication
      13, // Property Length
      0x15,
      ...str('SCRAM'), // Authentication Method
      0x16,
      ...u16(2),
      1,
      2, // Authentication Data
    ],
  },
  {
    name: 'AUTH with Remaining Length 0 (Success)',
    packet: { cmd: 'auth', reasonCode: 0 },
    wire: [0xf0, 0],
    decodeOnly: true,
  },
];

describe('MQTT 3.1.1 byte vectors', () => {
  for (const vec of v4) {
    it(vec.name, () => checkVector(vec.packet, vec.wire, 4, { decodeOnly: vec.decodeOnly }));
  }
});

describe('MQTT 5.0 byte vectors', () => {
  for (const vec of v5) {
    it(vec.name, () => checkVector(vec.packet, vec.wire, 5, { decodeOnly: vec.decodeOnly }));
  }
});

describe('vector coverage', () => {
  it('covers every packet type under both versions', () => {
    const all = [
      'connect',
      'connack',
      'publish',
      'puback',
      'pubrec',
      'pubrel',
      'pubcomp',
      'subscribe',
      'suback',
      'unsubscribe',
      'unsuback',
      'pingreq',
      'pingresp',
      'disconnect',
    ];
    expect(new Set(v4.map((x) => x.packet.cmd))).toEqual(new Set(all));
    expect(new Set(v5.map((x) => x.packet.cmd))).toEqual(new Set([...all, 'auth']));
    expect(utf8('é')).toEqual([0xc3, 0xa9]);
  });
});
