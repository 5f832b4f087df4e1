/**
 * Stand-in for the `bl` package: in the browser build for all of mqtt-packet, and in Node as the
 * list our wire parser hands each frame in (`wire.ts`), where bl's reads would each make a Buffer
 * slice. mqtt-packet's parser only needs a byte list it can append to, read big-endian integers
 * and UTF-8 strings from, slice and consume from the front: bl's BufferList half, not its stream
 * half (which drags in readable-stream).
 *
 * The decoder hands the parser exactly one whole frame at a time, so the list is almost always a
 * single chunk, and reads, slices and consumes are views over it (no copy per packet).
 */

// Node's Buffer#toString('utf8') replaces invalid sequences and keeps a leading BOM. Created on
// first use, so that loading the module works where TextDecoder is missing (some React Native).
let decoder: InstanceType<typeof TextDecoder> | undefined;

const EMPTY = new Uint8Array(0);

export class BufferList {
  private bytes: Uint8Array = EMPTY;

  get length(): number {
    return this.bytes.length;
  }

  append(chunk: Uint8Array): this {
    if (this.bytes.length === 0) {
      this.bytes = chunk;
    } else {
      // Only reached when bytes from an unfinished frame are still held: join them once.
      const joined = new Uint8Array(this.bytes.length + chunk.length);
      joined.set(this.bytes, 0);
      joined.set(chunk, this.bytes.length);
      this.bytes = joined;
    }
    return this;
  }

  /** Empties the list (drops the reference to the bytes it held). */
  clear(): this {
    this.bytes = EMPTY;
    return this;
  }

  consume(n: number): this {
    this.bytes = this.bytes.subarray(Math.max(0, Math.trunc(n)));
    return this;
  }

  /** A view of [start, end), clamped like Buffer#subarray. */
  slice(start = 0, end = this.bytes.length): Uint8Array {
    return this.bytes.subarray(start, end);
  }

  toString(_encoding = 'utf8', start = 0, end = this.bytes.length): string {
    decoder ??= new TextDecoder('utf-8', { ignoreBOM: true });
    return decoder.decode(this.bytes.subarray(start, end));
  }

  readUInt8(offset: number): number {
    this.check(offset, 1);
    return this.bytes[offset] as number;
  }

  readUInt16BE(offset: number): number {
    this.check(offset, 2);
    const b = this.bytes;
    return ((b[offset] as number) << 8) | (b[offset + 1] as number);
  }

  readUInt32BE(offset: number): number {
    this.check(offset, 4);
    const b = this.bytes;
    return (
      (b[offset] as number) * 0x1000000 +
      (((b[offset + 1] as number) << 16) |
        ((b[offset + 2] as number) << 8) |
        (b[offset + 3] as number))
    );
  }

  /** Out-of-range reads throw, as Buffer's do; the wire parser turns that into an error. */
  private check(offset: number, size: number): void {
    if (!Number.isInteger(offset) || offset < 0 || offset + size > this.bytes.length) {
      throw new RangeError(
        `read of ${size} bytes at ${offset} is outside the ${this.bytes.length}-byte list`,
      );
    }
  }
}

/** `require('bl')()` in mqtt-packet's parser: a fresh, empty list. */
export function bl(): BufferList {
  return new BufferList();
}
