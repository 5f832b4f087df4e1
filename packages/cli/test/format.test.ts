import type { Message } from '@mqttkit/client';
import { describe, expect, it } from 'vitest';
import { compileFormat, isoLocal, renderMessage, unixNanos } from '../src/format.js';

const decoder = new TextDecoder();
const message = (over: Partial<Message> = {}): Message => ({
  topic: 'sensors/1',
  payload: new TextEncoder().encode('hi!'),
  qos: 1,
  retain: true,
  dup: false,
  packetId: 42,
  ...over,
});
// 2026-11-24T14:03:07.123456Z
const nowMs = Date.UTC(2026, 10, 24, 14, 3, 7) + 123.456;
const utc = { nowMs, utcOffsetMinutes: 0 };
const render = (format: string, m = message(), clock = utc) =>
  decoder.decode(renderMessage(compileFormat(format), m, clock));

describe('-F format', () => {
  it('renders the message fields', () => {
    expect(render('%t|%p|%q|%r|%l|%m')).toBe('sensors/1|hi!|1|1|3|42');
    expect(render('%r %m', message({ retain: false, packetId: undefined, qos: 0 }))).toBe('0 0');
  });

  it('hex, lower and upper case, of every byte', () => {
    const m = message({ payload: new Uint8Array([0x00, 0x0a, 0xff, 0xab]) });
    expect(render('%x %X', m)).toBe('000affab 000AFFAB');
  });

  it('keeps the payload bytes raw (no UTF-8 round trip)', () => {
    const payload = new Uint8Array([0xff, 0xfe, 0x00, 0x41]);
    const out = renderMessage(compileFormat('[%p]'), message({ payload }), utc);
    expect([...out]).toEqual([0x5b, 0xff, 0xfe, 0x00, 0x41, 0x5d]);
  });

  it('%I is local ISO-8601 with the offset, as mosquitto', () => {
    expect(render('%I')).toBe('2026-11-24T14:03:07+0000');
    expect(render('%I', message(), { nowMs, utcOffsetMinutes: 60 })).toBe(
      '2026-11-24T15:03:07+0100',
    );
    expect(render('%I', message(), { nowMs, utcOffsetMinutes: -330 })).toBe(
      '2026-11-24T08:33:07-0530',
    );
    expect(isoLocal({ nowMs, utcOffsetMinutes: 0 }, true)).toBe('2026-11-24T14:03:07.123456+0000');
  });

  it('%U is seconds with nine decimals', () => {
    expect(render('%U')).toBe(`${Math.floor(nowMs / 1000)}.123456000`);
    expect(unixNanos(5)).toBe('0.005000000');
  });

  it('%j is one JSON object', () => {
    expect(JSON.parse(render('%j'))).toEqual({
      tst: '2026-11-24T14:03:07.123456+0000',
      topic: 'sensors/1',
      qos: 1,
      retain: 1,
      payload: 'hi!',
    });
  });

  it('MQTT 5 properties, empty when absent', () => {
    const m = message({
      properties: {
        userProperties: { a: '1', b: ['2', '3'] },
        contentType: 'text/plain',
        responseTopic: 'reply/here',
        messageExpiryInterval: 30,
        payloadFormatIndicator: true,
      },
    });
    expect(render('%P|%C|%R|%E|%F', m)).toBe('a:1 b:2 b:3|text/plain|reply/here|30|1');
    expect(render('%P|%C|%R|%E|%F')).toBe('||||');
  });

  it('escapes and literals', () => {
    expect(render('%%t\\t%t\\n\\\\@@\\0\\e')).toBe('%t\tsensors/1\n\\@\0\x1b');
  });

  it.each([
    ['%z', /%z is not supported/],
    ['%', /ends with a lone %/],
    ['\\q', /unknown escape \\q/],
    ['@Y-@m', /@Y are not supported; use %I or %U/],
  ])('rejects %j', (format, error) => {
    expect(() => compileFormat(format)).toThrow(error);
  });
});
