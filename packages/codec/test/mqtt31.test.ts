// MQTT 3.1: a CONNECT with Protocol Name 'MQIsdp' and level 3; every other packet is framed as
// 3.1.1 frames it, so a 3.1 connection encodes and decodes under version 4. mqtt-packet 9.0.2
// writes and parses it as published.
import { describe, expect, it } from 'vitest';
import { encode, InvalidPacketError, ProtocolError } from '../src/index.js';
import { decodeBytes, str } from './helpers.js';

const connect31 = [0x10, 17, ...str('MQIsdp'), 3, 0x02, 0, 10, ...str('abc')];

describe('MQTT 3.1 CONNECT (protocolVersion 3)', () => {
  it('encodes as MQIsdp level 3 under the 3.1.1 framing', () => {
    const bytes = encode(
      { cmd: 'connect', protocolVersion: 3, clientId: 'abc', clean: true, keepalive: 10 },
      { protocolVersion: 4 },
    );
    expect([...bytes]).toEqual(connect31);
  });

  it('decodes back with protocolVersion 3', () => {
    const { packets, errors } = decodeBytes(Uint8Array.from(connect31), 4);
    expect(errors).toEqual([]);
    expect(packets).toEqual([
      { cmd: 'connect', protocolVersion: 3, clientId: 'abc', clean: true, keepalive: 10 },
    ]);
  });

  it('refuses a client id outside 1-23 bytes and a 3.1 CONNECT under the MQTT 5 option', () => {
    const base = { cmd: 'connect', protocolVersion: 3, clean: true, keepalive: 10 } as const;
    expect(() => encode({ ...base, clientId: 'x'.repeat(24) }, { protocolVersion: 4 })).toThrow(
      InvalidPacketError,
    );
    expect(() => encode({ ...base, clientId: '' }, { protocolVersion: 4 })).toThrow(/1-23 bytes/);
    expect(() =>
      encode({ ...base, clientId: 'x'.repeat(23) }, { protocolVersion: 4 }),
    ).not.toThrow();
    expect(() => encode({ ...base, clientId: 'abc' }, { protocolVersion: 5 })).toThrow(
      /under the option 4/,
    );
  });

  it('pairs MQIsdp with level 3 only', () => {
    const wrong = [0x10, 17, ...str('MQIsdp'), 4, 0x02, 0, 10, ...str('abc')];
    const { packets, errors } = decodeBytes(Uint8Array.from(wrong), 4);
    expect(packets).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(ProtocolError);
    expect(errors[0]?.message).toMatch(/Protocol Level 4/);
  });
});
