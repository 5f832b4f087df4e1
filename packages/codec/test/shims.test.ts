/**
 * The browser build's stand-ins for Node modules (src/shims/) against the real thing: every
 * method mqtt-packet calls must give Node's answer, since the browser build runs the same
 * mqtt-packet code over them.
 */
import { Buffer as NodeBuffer } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bl } from '../src/shims/bl.js';
import { Buffer } from '../src/shims/buffer.js';
import { createDebug } from '../src/shims/debug.js';
import { EventEmitter } from '../src/shims/events.js';
import { nextTick } from '../src/shims/next-tick.js';

const bytes = fc.uint8Array({ maxLength: 64 });
// Strings with astral characters and lone surrogates, which Node writes as U+FFFD.
const text = fc.string({ unit: 'binary', maxLength: 40 });

describe('Buffer shim', () => {
  it('is a Uint8Array that isBuffer recognises, and subarray keeps the class', () => {
    const b = Buffer.from([1, 2, 3]);
    expect(b).toBeInstanceOf(Uint8Array);
    expect(Buffer.isBuffer(b)).toBe(true);
    expect(Buffer.isBuffer(b.subarray(0, 1))).toBe(true);
    expect(Buffer.isBuffer(new Uint8Array(2))).toBe(false);
    expect(Buffer.isBuffer('ab')).toBe(false);
  });

  it('from(array) copies, from(arrayBuffer, offset, length) is a view, as in Node', () => {
    fc.assert(
      fc.property(bytes, fc.nat(), fc.nat(), (src, a, b) => {
        expect([...Buffer.from([...src])]).toEqual([...NodeBuffer.from([...src])]);
        const offset = src.length === 0 ? 0 : a % src.length;
        const length = src.length - offset === 0 ? 0 : b % (src.length - offset);
        const view = Buffer.from(src.buffer, src.byteOffset + offset, length);
        const nodeView = NodeBuffer.from(src.buffer, src.byteOffset + offset, length);
        expect([...view]).toEqual([...nodeView]);
        if (length > 0) {
          src[offset] = (src[offset]! + 1) & 0xff;
          expect(view[0]).toBe(src[offset]);
        }
      }),
    );
    const ab = new ArrayBuffer(4);
    expect(Buffer.from(ab, 1).length).toBe(3);
  });

  it('byteLength(string) matches Node for any string, lone surrogates included', () => {
    fc.assert(
      fc.property(text, (s) => {
        expect(Buffer.byteLength(s)).toBe(NodeBuffer.byteLength(s));
      }),
      { numRuns: 500 },
    );
    expect(Buffer.byteLength(new Uint8Array(7))).toBe(7);
  });

  it('alloc and allocUnsafe give zeroed buffers of the size asked', () => {
    expect([...Buffer.alloc(3)]).toEqual([0, 0, 0]);
    expect(Buffer.allocUnsafe(5).length).toBe(5);
  });

  it('writeUInt8, writeUInt32BE and write lay out bytes as Node does', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.nat(255), text, (n, byte, s) => {
        const size = 5 + NodeBuffer.byteLength(s) + 3;
        const ours = Buffer.alloc(size);
        const node = NodeBuffer.alloc(size);
        expect(ours.writeUInt8(byte, 0)).toBe(node.writeUInt8(byte, 0));
        expect(ours.writeUInt32BE(n, 1)).toBe(node.writeUInt32BE(n, 1));
        expect(ours.write(s, 5)).toBe(node.write(s, 5));
        expect([...ours]).toEqual([...node]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('what mqtt-packet calls', () => {
  const dir = dirname(createRequire(import.meta.url).resolve('mqtt-packet/package.json'));
  const read = (file: string): string => readFileSync(join(dir, file), 'utf8');
  const names = (source: string, pattern: RegExp): Set<string> =>
    new Set([...source.matchAll(pattern)].map((m) => m[1] as string));

  // The browser build's copy has no other implementation: a newer mqtt-packet that calls a
  // method the shims lack (or Buffer.from with a string) must fail here, not in a page.
  it("is all in the shims: the generator's Buffer calls, the parser's list and emitter calls", () => {
    const generator = ['constants.js', 'numbers.js', 'writeToStream.js'].map(read).join('\n');
    const statics = names(generator, /\bBuffer\.(\w+)\(/g);
    expect([...statics].sort()).toEqual(['alloc', 'allocUnsafe', 'byteLength', 'from', 'isBuffer']);
    for (const name of statics) expect(typeof Reflect.get(Buffer, name), name).toBe('function');
    // Every Buffer.from gets an array of bytes: the shim has no from(string).
    expect(generator).not.toMatch(/Buffer\.from\((?!\[|granted\))/);
    const methods = names(generator, /\b(?:buf|buffer)\.(\w+)\(/g);
    expect(methods.size).toBeGreaterThan(2);
    for (const name of methods) {
      expect(typeof Reflect.get(Buffer.prototype, name), name).toBe('function');
    }
    const parser = read('parser.js');
    const list = names(parser, /\bthis\._list\.(\w+)/g);
    expect(list.size).toBeGreaterThan(5);
    for (const name of list) expect(name in bl(), name).toBe(true);
    const own = names(parser, /^ {2}(?:static )?(\w+) \(/gm);
    const inherited = [...names(parser, /\bthis\.(\w+)\(/g)].filter((n) => !own.has(n));
    expect(inherited).toEqual(['emit']);
    for (const name of inherited) expect(name in EventEmitter.prototype, name).toBe(true);
  });
});

describe('bl shim (BufferList)', () => {
  it('reads integers and UTF-8 like Buffer, over any bytes and ranges', () => {
    fc.assert(
      fc.property(bytes, fc.nat(), fc.nat(), (src, a, b) => {
        const list = bl().append(src);
        const node = NodeBuffer.from(src);
        expect(list.length).toBe(src.length);
        const start = src.length === 0 ? 0 : a % src.length;
        const end = start + (b % (src.length - start + 1));
        // Invalid sequences become U+FFFD and a leading BOM is kept, as Node does.
        expect(list.toString('utf8', start, end)).toBe(node.toString('utf8', start, end));
        expect([...list.slice(start, end)]).toEqual([...node.subarray(start, end)]);
        for (const [size, read, nodeRead] of [
          [1, list.readUInt8, node.readUInt8],
          [2, list.readUInt16BE, node.readUInt16BE],
          [4, list.readUInt32BE, node.readUInt32BE],
        ] as const) {
          if (start + size <= src.length) {
            expect(read.call(list, start)).toBe(nodeRead.call(node, start));
          } else {
            expect(() => read.call(list, start)).toThrow(RangeError);
          }
        }
      }),
      { numRuns: 500 },
    );
    expect(
      bl()
        .append(Uint8Array.of(0xef, 0xbb, 0xbf, 0x61))
        .toString(),
    ).toBe('\ufeffa');
  });

  it('slices are views, consume drops from the front, append joins a held tail', () => {
    const frame = Uint8Array.of(1, 2, 3, 4, 5);
    const list = bl().append(frame);
    const s = list.slice(1, 3);
    frame[1] = 9;
    expect([...s]).toEqual([9, 3]);
    list.consume(3);
    expect(list.length).toBe(2);
    expect(list.readUInt16BE(0)).toBe(0x0405);
    list.append(Uint8Array.of(6));
    expect([...list.slice()]).toEqual([4, 5, 6]);
    list.consume(10);
    expect(list.length).toBe(0);
  });
});

describe('events, debug and nextTick shims', () => {
  it('EventEmitter calls listeners in order and throws an unhandled error, as Node does', () => {
    const e = new EventEmitter();
    const seen: unknown[] = [];
    e.on('packet', (p) => seen.push(['a', p]));
    e.on('packet', (p) => seen.push(['b', p]));
    expect(e.emit('packet', 1)).toBe(true);
    expect(seen).toEqual([
      ['a', 1],
      ['b', 1],
    ]);
    expect(e.emit('other')).toBe(false);
    const boom = new Error('boom');
    expect(() => e.emit('error', boom)).toThrow(boom);
    e.on('error', (err) => seen.push(err));
    expect(e.emit('error', boom)).toBe(true);
    expect(seen.at(-1)).toBe(boom);
  });

  it('debug returns a no-op logger and nextTick defers', async () => {
    expect(createDebug('mqtt-packet:parser')('%o', {})).toBeUndefined();
    const order: string[] = [];
    const done = new Promise<void>((resolve) => {
      nextTick((x: string) => {
        order.push(x);
        resolve();
      }, 'later');
    });
    order.push('now');
    await done;
    expect(order).toEqual(['now', 'later']);
  });
});
