import { describe, expect, it } from 'vitest';
import { isIpLiteral, parseEndpoint } from '../src/url.js';

describe('parseEndpoint', () => {
  it.each([
    ['mqtt://broker.example', 'tcp', 1883],
    ['tcp://broker.example', 'tcp', 1883],
    ['mqtts://broker.example', 'tls', 8883],
    ['ssl://broker.example', 'tls', 8883],
    ['tls://broker.example', 'tls', 8883],
    ['ws://broker.example', 'ws', 80],
    ['wss://broker.example', 'wss', 443],
    ['MQTT://broker.example:1999', 'tcp', 1999],
  ])('%s -> %s port %i', (url, kind, port) => {
    expect(parseEndpoint(url)).toMatchObject({ kind, host: 'broker.example', port });
  });

  it('keeps the WebSocket path and query, but shows no query or user info', () => {
    const endpoint = parseEndpoint('wss://me:pa55@broker.example/mqtt?token=x');
    expect(endpoint.path).toBe('/mqtt?token=x');
    expect(endpoint.display).toBe('wss://broker.example:443/mqtt');
    expect(parseEndpoint('ws://broker.example').path).toBe('/');
  });

  it('unwraps IPv6 literals and shows them in brackets', () => {
    const endpoint = parseEndpoint('mqtt://[::1]:1884');
    expect(endpoint.host).toBe('::1');
    expect(endpoint.display).toBe('mqtt://[::1]:1884');
  });

  it('rejects unknown schemes with UnsupportedProtocolError', () => {
    expect(() => parseEndpoint('http://broker.example')).toThrow(
      expect.objectContaining({ code: 'MQTTKIT_ERR_UNSUPPORTED_PROTOCOL', scheme: 'http' }),
    );
  });

  it('rejects unparsable URLs without echoing them', () => {
    for (const url of ['not a url user:secret', 'mqtt://']) {
      let caught: unknown;
      try {
        parseEndpoint(url);
      } catch (error) {
        caught = error;
      }
      expect(caught).toMatchObject({ code: 'MQTTKIT_ERR_INVALID_URL' });
      expect((caught as Error).message).not.toContain('secret');
    }
  });

  it('isIpLiteral', () => {
    expect(isIpLiteral('127.0.0.1')).toBe(true);
    expect(isIpLiteral('::1')).toBe(true);
    expect(isIpLiteral('localhost')).toBe(false);
  });
});

describe('open with a bad URL', () => {
  it('rejects (never throws synchronously) with the typed error', async () => {
    const { open } = await import('../src/index.js');
    await expect(open('http://127.0.0.1:1')).rejects.toMatchObject({
      code: 'MQTTKIT_ERR_UNSUPPORTED_PROTOCOL',
    });
    await expect(open('::nonsense::')).rejects.toMatchObject({ code: 'MQTTKIT_ERR_INVALID_URL' });
  });
});
