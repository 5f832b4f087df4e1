import { describe, expect, it } from 'vitest';
import { createWireParser } from '../src/wire.js';
import { str } from './helpers.js';

describe('mqtt-packet adapter', () => {
  it('returns mqtt-packet errors as values, and recovers for the next frame', () => {
    const parse = createWireParser();
    // CONNECT with an unknown protocol name: mqtt-packet emits 'Invalid protocolId'.
    const bad = Uint8Array.from([0x10, 13, ...str('XXXX'), 4, 0x02, 0, 0, ...str('c')]);
    const result = parse(bad, 4);
    expect('error' in result && (result.error as Error).message).toBe('Invalid protocolId');
    const ok = parse(Uint8Array.from([0xd0, 0]), 4);
    expect('packet' in ok && ok.packet.cmd).toBe('pingresp');
  });

  it('reports a frame mqtt-packet leaves incomplete', () => {
    const parse = createWireParser();
    const result = parse(Uint8Array.from([0x30, 5, 0]), 4);
    expect('error' in result).toBe(true);
  });
});
