/**
 * Browser stand-in for Node's `buffer` module, used only by the browser build (see
 * `scripts/build-browser.ts`). It implements exactly what mqtt-packet's generator
 * (`constants.js`, `numbers.js`, `writeToStream.js`) and `wire.ts` call, on top of Uint8Array,
 * so no 25 KB Buffer polyfill reaches the bundle. `test/shims.test.ts` checks every method
 * against Node's Buffer, and that mqtt-packet calls nothing else.
 */
import { utf8ByteLength } from '../model/utf8.js';

// Created on first use, so that loading the module never needs TextEncoder.
let encoder: InstanceType<typeof TextEncoder> | undefined;

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

  /** Writes a string as UTF-8 at `offset`; returns the bytes written. */
  write(text: string, offset = 0): number {
    encoder ??= new TextEncoder();
    return encoder.encodeInto(text, this.subarray(offset)).written;
  }
}

/**
 * Node's `Buffer.from` for the two forms mqtt-packet and `wire.ts` use: `from(bytes)` copies,
 * `from(arrayBuffer, offset, length)` is a view (no copy). Uint8Array.from has another
 * contract, so it is replaced.
 */
function from(
  source: ArrayLike<number> | ArrayBufferLike,
  offset?: number,
  length?: number,
): BufferShim {
  if (source instanceof ArrayBuffer || isSharedArrayBuffer(source)) {
    const start = offset ?? 0;
    return new BufferShim(source as ArrayBuffer, start, length ?? source.byteLength - start);
  }
  const out = new BufferShim(source.length);
  out.set(source);
  return out;
}

function isSharedArrayBuffer(value: unknown): value is SharedArrayBuffer {
  return typeof SharedArrayBuffer !== 'undefined' && value instanceof SharedArrayBuffer;
}

Object.defineProperty(BufferShim, 'from', { value: from, writable: true, configurable: true });

export const Buffer = BufferShim as typeof BufferShim & { from: typeof from };
