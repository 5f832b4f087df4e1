/**
 * Browser stand-in for Node's `buffer` module, used only by the browser build (see
 * `scripts/build-browser.mjs`). It implements exactly what mqtt-packet's generator
 * (`constants.js`, `numbers.js`, `writeToStream.js`, `generate.js`) and `wire.ts` call, on top
 * of Uint8Array, so no 25 KB Buffer polyfill reaches the bundle. `test/shims.test.ts` checks
 * every method against Node's Buffer.
 */
import { utf8ByteLength } from '../utf8.js';

// Created on first use, so that loading the module never needs TextEncoder.
let encoder: InstanceType<typeof TextEncoder> | undefined;
const utf8Encoder = (): InstanceType<typeof TextEncoder> => {
  encoder ??= new TextEncoder();
  return encoder;
};

class BufferShim extends Uint8Array {
  static isBuffer(value: unknown): value is BufferShim {
    return value instanceof BufferShim;
  }

  static alloc(size: number): BufferShim {
    return new BufferShim(size);
  }

  /** Zero-filled like `alloc`: the memory is fresh either way in a browser. */
  static allocUnsafe(size: number): BufferShim {
    return new BufferShim(size);
  }

  /** UTF-8 length of a string, or the length of bytes. */
  static byteLength(value: string | Uint8Array): number {
    return typeof value === 'string' ? utf8ByteLength(value) : value.byteLength;
  }

  writeUInt8(value: number, offset = 0): number {
    this[offset] = value;
    return offset + 1;
  }

  writeUInt32BE(value: number, offset = 0): number {
    this[offset] = value >>> 24;
    this[offset + 1] = value >>> 16;
    this[offset + 2] = value >>> 8;
    this[offset + 3] = value;
    return offset + 4;
  }

  /** Copies all of this buffer into `target` at `targetStart`; returns the bytes copied. */
  copy(target: Uint8Array, targetStart = 0): number {
    target.set(this, targetStart);
    return this.length;
  }

  /** Writes a string as UTF-8 at `offset`; returns the bytes written. */
  write(text: string, offset = 0): number {
    return utf8Encoder().encodeInto(text, this.subarray(offset)).written;
  }
}

/**
 * Node's `Buffer.from`: `from(bytes)` copies, `from(arrayBuffer, offset, length)` is a view (no
 * copy), `from(string)` encodes UTF-8. Uint8Array.from has another contract, so it is replaced.
 */
function from(
  source: ArrayLike<number> | ArrayBufferLike | string,
  offset?: number,
  length?: number,
): BufferShim {
  if (typeof source === 'string') return copyOf(utf8Encoder().encode(source));
  if (source instanceof ArrayBuffer || isSharedArrayBuffer(source)) {
    const start = offset ?? 0;
    return new BufferShim(source as ArrayBuffer, start, length ?? source.byteLength - start);
  }
  return copyOf(source);
}

function copyOf(bytes: ArrayLike<number>): BufferShim {
  const out = new BufferShim(bytes.length);
  out.set(bytes);
  return out;
}

function isSharedArrayBuffer(value: unknown): value is SharedArrayBuffer {
  return typeof SharedArrayBuffer !== 'undefined' && value instanceof SharedArrayBuffer;
}

Object.defineProperty(BufferShim, 'from', { value: from, writable: true, configurable: true });

export const Buffer = BufferShim as typeof BufferShim & { from: typeof from };
