/**
 * Loading the package must not need TextDecoder or TextEncoder (some React Native versions have
 * neither): they are created on first use, and work as before once they exist.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
});

describe('TextDecoder and TextEncoder on first use', () => {
  it('the modules load and topic checks run without them', async () => {
    vi.stubGlobal('TextDecoder', undefined);
    vi.stubGlobal('TextEncoder', undefined);
    vi.resetModules();
    const codec = await import('../src/index.js');
    await import('../src/shims/bl.js');
    await import('../src/shims/buffer.js');
    expect(() => codec.validateTopic('a/b')).not.toThrow();
    const bytes = codec.encode({ cmd: 'pingreq' }, { protocolVersion: 4 });
    expect([...bytes]).toEqual([0xc0, 0]);
  });

  it('decoding a string creates the decoder then, with the same strictness', async () => {
    vi.resetModules();
    const { createDecoder } = await import('../src/index.js');
    const topics: string[] = [];
    const errors: string[] = [];
    const decoder = createDecoder({
      protocolVersion: 4,
      onPacket: (p) => {
        if (p.cmd === 'publish') topics.push(p.topic);
      },
      onError: (e) => errors.push(e.code),
    });
    decoder.push(Uint8Array.from([0x30, 5, 0, 2, 0xc3, 0xa9, 0x21]));
    expect(topics).toEqual(['é']);
    decoder.push(Uint8Array.from([0x30, 4, 0, 2, 0xc3, 0x28]));
    expect(errors).toEqual(['MQTTKIT_ERR_MALFORMED_PACKET']);
  });
});
