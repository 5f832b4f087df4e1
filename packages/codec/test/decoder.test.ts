import { describe, expect, it } from 'vitest';
import {
  type CodecError,
  createDecoder,
  DEFAULT_MAX_PACKET_SIZE,
  encode,
  isPacketStart,
  MalformedPacketError,
  type Packet,
  PacketTooLargeError,
  ProtocolError,
  type ProtocolVersion,
} from '../src/index.js';
import { decodeBytes, decodeChunks, oneByteChunks, str, u16 } from './helpers.js';

const b = (...x: number[]): Uint8Array => Uint8Array.from(x);

/** Decodes `wire` whole and byte by byte; both must give exactly one error of `type`. */
function expectError(
  wire: number[],
  v: ProtocolVersion,
  type: typeof MalformedPacketError | typeof ProtocolError,
  message: RegExp,
): CodecError {
  const bytes = Uint8Array.from(wire);
  for (const out of [decodeBytes(bytes, v), decodeChunks(oneByteChunks(bytes), v)]) {
    expect(out.packets).toEqual([]);
    expect(out.errors).toHaveLength(1);
    expect(out.errors[0]).toBeInstanceOf(type);
    expect(out.errors[0]!.message).toMatch(message);
  }
  return decodeBytes(bytes, v).errors[0]!;
}

describe('malformed input gives MalformedPacketError (0x81)', () => {
  const cases: [string, ProtocolVersion, number[], RegExp][] = [
    [
      'Remaining Length over 4 bytes',
      4,
      [0x30, 0xff, 0xff, 0xff, 0xff, 0x01],
      /longer than 4 bytes/,
    ],
    ['Remaining Length not minimal', 5, [0xd0, 0x80, 0x00], /not minimally encoded/],
    ['packet type 0', 4, [0x00, 0x00], /unknown packet type 0/],
    ['packet type 15 under 3.1.1', 4, [0xf0, 0x00], /unknown packet type 15/],
    [
      'PUBACK flags 0001 [MQTT-2.2.2-1]',
      4,
      [0x41, 2, 0, 1],
      /reserved fixed-header flag bits of PUBACK.*MQTT-2\.2\.2-1/,
    ],
    ['PUBREL flags 0000', 5, [0x60, 2, 0, 1], /flag bits of PUBREL are 0x0, must be 0x2/],
    ['SUBSCRIBE flags 0000', 4, [0x80, 6, 0, 1, ...str('a'), 0], /flag bits of SUBSCRIBE/],
    ['PINGREQ flags 1000', 4, [0xc8, 0], /flag bits of PINGREQ/],
    ['PUBLISH QoS 3', 4, [0x36, 5, ...str('a'), 0, 1], /PUBLISH with QoS 3/],
    [
      'truncated CONNACK',
      4,
      [0x20, 1, 0],
      /CONNACK is truncated: return code needs 1 bytes, 0 left/,
    ],
    ['truncated topic', 4, [0x30, 3, 0, 5, 0x61], /PUBLISH is truncated: Topic Name needs 5 bytes/],
    ['truncated packet id', 5, [0x40, 1, 0], /PUBACK is truncated: Packet Identifier/],
    [
      'overlong CONNACK',
      4,
      [0x20, 3, 0, 0, 0],
      /CONNACK has 1 unexpected bytes after its last field/,
    ],
    ['overlong PUBACK 3.1.1', 4, [0x40, 3, 0, 1, 0], /PUBACK has 1 unexpected bytes/],
    ['PINGRESP with a body', 5, [0xd0, 1, 0], /PINGRESP has 1 unexpected bytes/],
    [
      'property length past the end',
      5,
      [0x40, 5, 0, 1, 0x10, 9, 0x1f],
      /PUBACK properties length 9 exceeds the 1 bytes left/,
    ],
    [
      'truncated property value',
      5,
      [0x40, 7, 0, 1, 0x10, 3, 0x1f, 0x00, 0x05],
      /PUBACK is truncated: property reasonString needs 5 bytes, 0 left/,
    ],
    [
      'truncated int32 property',
      5,
      [0xe0, 4, 0x00, 2, 0x11, 0x00],
      /DISCONNECT is truncated: property sessionExpiryInterval needs 4 bytes/,
    ],
    [
      'unknown property',
      5,
      [0x40, 6, 0, 1, 0x00, 2, 0x7f, 0x00],
      /unknown property identifier 0x7f/,
    ],
    [
      'property not allowed in packet',
      5,
      [0x40, 7, 0, 1, 0x00, 3, 0x23, 0, 1],
      /property topicAlias \(0x23\) is not allowed in PUBACK properties/,
    ],
    [
      'will property in CONNECT properties',
      5,
      [0x10, 19, ...str('MQTT'), 5, 0x02, 0, 0, 5, 0x18, 0, 0, 0, 1, ...str('c')],
      /willDelayInterval.*not allowed in CONNECT/,
    ],
    [
      'invalid UTF-8 in topic',
      4,
      [0x30, 4, 0, 2, 0xc3, 0x28],
      /invalid UTF-8 in PUBLISH Topic Name/,
    ],
    ['overlong UTF-8 (C0 80) in topic', 4, [0x30, 4, 0, 2, 0xc0, 0x80], /invalid UTF-8/],
    ['UTF-16 surrogate encoded in topic', 5, [0x30, 6, 0, 3, 0xed, 0xa0, 0x80, 0], /invalid UTF-8/],
    ['U+0000 in topic', 4, [0x30, 3, 0, 1, 0x00], /contains U\+0000/],
    [
      'invalid UTF-8 in user property',
      5,
      [0xe0, 9, 0, 7, 0x26, 0, 1, 0xff, 0, 1, 0x61],
      /invalid UTF-8 in DISCONNECT property userProperties name/,
    ],
    [
      'CONNECT reserved flag',
      4,
      [0x10, 13, ...str('MQTT'), 4, 0x03, 0, 0, ...str('c')],
      /reserved flag bit 0/,
    ],
    [
      'SUBSCRIBE options reserved bits 3.1.1',
      4,
      [0x82, 6, 0, 1, ...str('a'), 0x04],
      /reserved option bits 7-2/,
    ],
    ['SUBSCRIBE QoS 3', 5, [0x82, 7, 0, 1, 0, ...str('a'), 0x03], /requests QoS 3/],
    [
      'invalid SUBACK return code 3.1.1',
      4,
      [0x90, 3, 0, 1, 0x03],
      /invalid SUBACK return code 0x03/,
    ],
    ['invalid PUBACK reason code', 5, [0x40, 3, 0, 1, 0x05], /invalid PUBACK reason code 0x05/],
  ];
  for (const [name, v, wire, message] of cases) {
    it(name, () => {
      const err = expectError(wire, v, MalformedPacketError, message);
      expect(err.code).toBe('MQTTKIT_ERR_MALFORMED_PACKET');
      expect(err.reasonCode).toBe(0x81);
    });
  }
});

describe('well-formed but forbidden input gives ProtocolError (0x82)', () => {
  const cases: [string, ProtocolVersion, number[], RegExp][] = [
    ['PUBLISH topic with a wildcard', 4, [0x30, 5, ...str('a/#')], /wildcard.*MQTT-3\.3\.2-2/],
    ['PUBLISH empty topic under 3.1.1', 4, [0x30, 2, ...str('')], /Topic Name is empty/],
    ['PUBLISH empty topic without alias', 5, [0x30, 3, ...str(''), 0], /Topic Name is empty/],
    ['Packet Identifier 0', 4, [0x40, 2, 0, 0], /Packet Identifier 0/],
    ['Receive Maximum 0', 5, [0x20, 6, 0, 0, 3, 0x21, 0, 0], /receiveMaximum must not be 0/],
    ['boolean property 2', 5, [0x20, 5, 0, 0, 2, 0x25, 2], /retainAvailable must be 0 or 1/],
    // "It is a Protocol Error to include the Topic Alias more than once" (3.3.2.3.4), and likewise
    // for every property that is not User Property or Subscription Identifier.
    [
      'duplicate property',
      5,
      [0x30, 10, ...str('t'), 6, 0x23, 0, 1, 0x23, 0, 2],
      /duplicate property topicAlias/,
    ],
    ['CONNACK refusal with session present', 4, [0x20, 2, 1, 5], /Session Present/],
    ['SUBACK without reason codes', 4, [0x90, 2, 0, 1], /SUBACK has no reason codes/],
    [
      'CONNECT protocol level 3',
      4,
      [0x10, 13, ...str('MQTT'), 3, 0x02, 0, 0, ...str('c')],
      /Protocol Level 3/,
    ],
  ];
  for (const [name, v, wire, message] of cases) {
    it(name, () => {
      const err = expectError(wire, v, ProtocolError, message);
      expect(err.code).toBe('MQTTKIT_ERR_PROTOCOL');
      expect(err.reasonCode).toBe(0x82);
    });
  }
});

describe('maxPacketSize', () => {
  it('defaults to 16 MiB', () => {
    expect(DEFAULT_MAX_PACKET_SIZE).toBe(16 * 1024 * 1024);
  });

  it('refuses an oversize packet from its header, before the body arrives', () => {
    const errors: CodecError[] = [];
    const decoder = createDecoder({
      protocolVersion: 5,
      onPacket: () => expect.fail('no packet expected'),
      onError: (e) => errors.push(e),
    });
    // PUBLISH with Remaining Length 268,435,455 (0xff 0xff 0xff 0x7f): the protocol maximum.
    decoder.push(b(0x30, 0xff, 0xff));
    expect(decoder.bufferedBytes).toBe(3);
    expect(errors).toEqual([]);
    decoder.push(b(0xff, 0x7f, 0x00, 0x01, 0x61));
    expect(errors).toHaveLength(1);
    const err = errors[0] as PacketTooLargeError;
    expect(err).toBeInstanceOf(PacketTooLargeError);
    expect(err.code).toBe('MQTTKIT_ERR_PACKET_TOO_LARGE');
    expect(err.reasonCode).toBe(0x95);
    expect(err.size).toBe(268_435_460);
    expect(err.maxPacketSize).toBe(DEFAULT_MAX_PACKET_SIZE);
    expect(decoder.bufferedBytes).toBe(0);
  });

  it('accepts a packet of exactly maxPacketSize bytes and refuses one byte more', () => {
    const packet: Packet = {
      cmd: 'publish',
      topic: 't',
      payload: new Uint8Array(1000),
      qos: 0,
      retain: false,
      dup: false,
    };
    const bytes = encode(packet, { protocolVersion: 4 });
    const exact = decodeBytes(bytes, 4, bytes.length);
    expect(exact.errors).toEqual([]);
    expect(exact.packets).toEqual([packet]);
    const under = decodeBytes(bytes, 4, bytes.length - 1);
    expect(under.packets).toEqual([]);
    expect(under.errors[0]?.code).toBe('MQTTKIT_ERR_PACKET_TOO_LARGE');
  });

  it('buffers only the bytes received so far of a large packet within the limit', () => {
    const decoder = createDecoder({
      protocolVersion: 4,
      maxPacketSize: 1_000_000,
      onPacket: () => {},
      onError: (e) => expect.fail(e.message),
    });
    decoder.push(b(0x30, 0x80, 0x80, 0x3c)); // Remaining Length 983,040
    decoder.push(b(...str('t'), 1, 2));
    expect(decoder.bufferedBytes).toBe(4 + 5);
  });

  it('setMaxPacketSize applies to the next packet', () => {
    const errors: CodecError[] = [];
    const packets: Packet[] = [];
    const decoder = createDecoder({
      protocolVersion: 4,
      onPacket: (p) => packets.push(p),
      onError: (e) => errors.push(e),
    });
    decoder.push(b(0xd0, 0));
    decoder.setMaxPacketSize(3);
    decoder.push(b(0x40, 2, 0, 1));
    expect(packets).toEqual([{ cmd: 'pingresp' }]);
    expect(errors[0]).toBeInstanceOf(PacketTooLargeError);
    expect(() => decoder.setMaxPacketSize(0)).toThrow(RangeError);
  });
});

describe('stream behaviour', () => {
  it('delivers packets completed before an error in the same chunk, then reports the error once', () => {
    const errors: CodecError[] = [];
    const packets: Packet[] = [];
    const decoder = createDecoder({
      protocolVersion: 4,
      onPacket: (p) => packets.push(p),
      onError: (e) => errors.push(e),
    });
    decoder.push(b(0xd0, 0, 0x40, 2, 0, 7, 0x00, 0x00, 0xd0, 0));
    expect(packets).toEqual([{ cmd: 'pingresp' }, { cmd: 'puback', packetId: 7, reasonCode: 0 }]);
    expect(errors).toHaveLength(1);
    // Further input is ignored: the stream cannot be resynchronised.
    decoder.push(b(0xd0, 0));
    decoder.push(b(0x00));
    expect(packets).toHaveLength(2);
    expect(errors).toHaveLength(1);
    expect(decoder.bufferedBytes).toBe(0);
  });

  it('keeps a partial packet across chunks and reports bufferedBytes', () => {
    const packets: Packet[] = [];
    const decoder = createDecoder({
      protocolVersion: 4,
      onPacket: (p) => packets.push(p),
      onError: (e) => expect.fail(e.message),
    });
    decoder.push(b(0x30));
    expect(decoder.bufferedBytes).toBe(1);
    decoder.push(b(5, ...u16(1)));
    expect(decoder.bufferedBytes).toBe(4);
    decoder.push(b(0x61, 1, 2, 0xd0));
    expect(packets).toHaveLength(1);
    expect(decoder.bufferedBytes).toBe(1);
    decoder.push(b(0));
    expect(packets).toHaveLength(2);
    expect(decoder.bufferedBytes).toBe(0);
  });

  it('setProtocolVersion switches parsing (AUTH is only valid under 5)', () => {
    const out: (Packet | CodecError)[] = [];
    const decoder = createDecoder({
      protocolVersion: 4,
      onPacket: (p) => out.push(p),
      onError: (e) => out.push(e),
    });
    decoder.push(b(0x20, 2, 0, 0));
    decoder.setProtocolVersion(5);
    decoder.push(b(0x20, 3, 0, 0, 0, 0xf0, 0));
    expect(out).toEqual([
      { cmd: 'connack', sessionPresent: false, reasonCode: 0 },
      { cmd: 'connack', sessionPresent: false, reasonCode: 0 },
      { cmd: 'auth', reasonCode: 0 },
    ]);
  });

  it('a throwing onPacket propagates to the caller and ends the decoder', () => {
    let calls = 0;
    const decoder = createDecoder({
      protocolVersion: 4,
      onPacket: () => {
        calls++;
        throw new Error('user bug');
      },
      onError: () => expect.fail('not a codec error'),
    });
    expect(() => decoder.push(b(0xd0, 0, 0xd0, 0))).toThrow('user bug');
    decoder.push(b(0xd0, 0));
    expect(calls).toBe(1);
  });

  it('keeps order when onPacket pushes more bytes re-entrantly', () => {
    const seen: number[] = [];
    const decoder = createDecoder({
      protocolVersion: 4,
      onPacket: (p) => {
        if (p.cmd !== 'puback') return;
        seen.push(p.packetId);
        if (p.packetId === 1) decoder.push(b(0x40, 2, 0, 3));
      },
      onError: (e) => expect.fail(e.message),
    });
    decoder.push(b(0x40, 2, 0, 1, 0x40, 2, 0, 2));
    expect(seen).toEqual([1, 2, 3]);
  });

  it('decodes a payload that spans many chunks into one contiguous Uint8Array', () => {
    const payload = Uint8Array.from({ length: 5000 }, (_, i) => i & 0xff);
    const packet: Packet = {
      cmd: 'publish',
      topic: 'big',
      payload,
      qos: 0,
      retain: false,
      dup: false,
    };
    const bytes = encode(packet, { protocolVersion: 5 });
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i += 7) chunks.push(bytes.slice(i, i + 7));
    const out = decodeChunks(chunks, 5);
    expect(out.packets).toEqual([packet]);
    const got = out.packets[0] as { payload: Uint8Array };
    expect(got.payload.constructor).toBe(Uint8Array);
  });

  it('rejects invalid options', () => {
    const base = { onPacket: () => {}, onError: () => {} };
    expect(() => createDecoder({ ...base, protocolVersion: 3 as ProtocolVersion })).toThrow(
      RangeError,
    );
    expect(() =>
      createDecoder({ ...base, protocolVersion: 4, maxPacketSize: 268_435_461 }),
    ).toThrow(RangeError);
  });
});

describe('decoders sharing one mqtt-packet parser', () => {
  it('interleaved 3.1.1 and 5.0 streams, one of them failing, each decode their own packets', () => {
    const got: Record<string, Packet[]> = { v4: [], v5: [] };
    const errors: string[] = [];
    const v4 = createDecoder({
      protocolVersion: 4,
      onPacket: (p) => got.v4?.push(p),
      onError: (e) => errors.push(`v4 ${e.code}`),
    });
    const v5 = createDecoder({
      protocolVersion: 5,
      onPacket: (p) => got.v5?.push(p),
      onError: (e) => errors.push(`v5 ${e.code}`),
    });
    const connack4 = encode(
      { cmd: 'connack', sessionPresent: true, reasonCode: 0 },
      { protocolVersion: 4 },
    );
    const suback5 = encode(
      { cmd: 'suback', packetId: 7, reasonCodes: [1, 0x87], properties: { reasonString: 'acl' } },
      { protocolVersion: 5 },
    );
    // Halves of each frame, alternating between the two decoders.
    const half4 = connack4.length >> 1;
    const half5 = suback5.length >> 1;
    v4.push(connack4.subarray(0, half4));
    v5.push(suback5.subarray(0, half5));
    v4.push(connack4.subarray(half4));
    v5.push(suback5.subarray(half5));
    // A SUBACK with a reserved property identifier in a 5.0 stream kills that decoder only.
    v5.push(new Uint8Array([0x90, 0x05, 0x00, 0x08, 0x02, 0x7f, 0x00]));
    v4.push(connack4);
    v5.push(suback5);
    expect(got.v4?.map((p) => p.cmd)).toEqual(['connack', 'connack']);
    expect(got.v5).toHaveLength(1);
    expect(got.v5?.[0]).toMatchObject({ cmd: 'suback', packetId: 7, reasonCodes: [1, 0x87] });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^v5 /);
  });
});

describe('a 3.1.1 CONNACK refusing Protocol Level 5', () => {
  // What a 3.1.1-only broker (aedes) answers to an MQTT 5 CONNECT [MQTT-3.1.2-2] (3.1.1).
  const v4Refusal = [0x20, 0x02, 0x00, 0x01];

  it('is read by an MQTT 5 decoder as the 3.1.1 refusal it is, whole or byte by byte', () => {
    const bytes = Uint8Array.from(v4Refusal);
    for (const out of [decodeBytes(bytes, 5), decodeChunks(oneByteChunks(bytes), 5)]) {
      expect(out.errors).toEqual([]);
      expect(out.packets).toEqual([
        { cmd: 'connack', sessionPresent: false, reasonCode: 1, protocolVersion: 4 },
      ]);
    }
  });

  it('is an ordinary CONNACK to a 3.1.1 decoder (no protocolVersion field)', () => {
    expect(decodeBytes(Uint8Array.from(v4Refusal), 4).packets).toEqual([
      { cmd: 'connack', sessionPresent: false, reasonCode: 1 },
    ]);
  });

  it('other 2-byte CONNACKs stay malformed under MQTT 5 (no Properties Length)', () => {
    expectError([0x20, 0x02, 0x00, 0x00], 5, MalformedPacketError, /CONNACK/);
    expectError([0x20, 0x02, 0x00, 0x05], 5, MalformedPacketError, /CONNACK/);
  });

  it('the MQTT 5 refusal, 0x84 Unsupported Protocol Version, is read as MQTT 5', () => {
    expect(decodeBytes(Uint8Array.from([0x20, 0x03, 0x00, 0x84, 0x00]), 5).packets).toEqual([
      { cmd: 'connack', sessionPresent: false, reasonCode: 0x84 },
    ]);
  });
});

describe('isPacketStart', () => {
  it('accepts what can begin a packet and refuses what an HTTP or TLS peer sends first', () => {
    expect(isPacketStart(0x20, 4)).toBe(true); // CONNACK
    expect(isPacketStart(0x90, 5)).toBe(true); // SUBACK
    expect(isPacketStart(0xf0, 5)).toBe(true); // AUTH
    expect(isPacketStart(0xf0, 4)).toBe(false); // AUTH needs MQTT 5
    expect(isPacketStart(0x48, 5)).toBe(false); // 'H' of "HTTP/1.1": PUBACK with flags 0x8
    expect(isPacketStart(0x15, 4)).toBe(false); // a TLS alert record: CONNECT with flags 0x5
    expect(isPacketStart(0x00, 5)).toBe(false); // reserved type 0
  });
});
