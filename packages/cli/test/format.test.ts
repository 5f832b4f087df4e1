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

  it('%j is one JSON object, byte for byte as mosquitto_sub 2.0 prints it', () => {
    // "Z" before the offset, "payloadlen", "mid" above QoS 0: mosquitto's own layout (issue 18).
    expect(render('%j')).toBe(
      '{"tst":"2026-11-24T14:03:07.123456Z+0000","topic":"sensors/1","qos":1,"retain":1,"payloadlen":3,"mid":42,"payload":"hi!"}',
    );
    expect(JSON.parse(render('%j'))).toEqual({
      tst: '2026-11-24T14:03:07.123456Z+0000',
      topic: 'sensors/1',
      qos: 1,
      retain: 1,
      payloadlen: 3,
      mid: 42,
      payload: 'hi!',
    });
  });

  it('%j escapes as cJSON: quotes, backslash, control bytes; other bytes raw; empty is null', () => {
    const payload = new Uint8Array([0x22, 0x5c, 0x0a, 0x01, 0xff, 0xc3, 0xa9]);
    const out = renderMessage(compileFormat('%j'), message({ payload }), utc);
    const tail = Buffer.from(out).subarray(Buffer.from(out).indexOf('"payload":'));
    expect([...tail]).toEqual([
      ...Buffer.from('"payload":"\\"\\\\\\n\\u0001'),
      0xff,
      0xc3,
      0xa9,
      ...Buffer.from('"}'),
    ]);
    expect(render('%j', message({ payload: new Uint8Array(0) }))).toMatch(
      /"payloadlen":0,"mid":42,"payload":null}$/,
    );
  });

  it('%j with MQTT 5 properties, and --pretty in cJSON layout', () => {
    const m = message({
      properties: { userProperties: { k: ['v', 'w'] }, contentType: 'c/t' },
    });
    const pretty = decoder.decode(renderMessage(compileFormat('%j'), m, utc, true));
    expect(pretty).toBe(
      [
        '{',
        '\t"tst":\t"2026-11-24T14:03:07.123456Z+0000",',
        '\t"topic":\t"sensors/1",',
        '\t"qos":\t1,',
        '\t"retain":\t1,',
        '\t"payloadlen":\t3,',
        '\t"mid":\t42,',
        '\t"properties":\t{',
        '\t\t"user-properties":\t{',
        '\t\t\t"k":\t"v",',
        '\t\t\t"k":\t"w"',
        '\t\t},',
        '\t\t"content-type":\t"c/t"',
        '\t},',
        '\t"payload":\t"hi!"',
        '}',
      ].join('\n'),
    );
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
