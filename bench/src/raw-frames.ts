// Splits a byte stream into MQTT frames while reading as little as a correct peer may: the fixed
// header of every frame, of a PUBLISH only the topic and packet id (needed to acknowledge it; a
// QoS 0 PUBLISH is not read at all), and other packets, which are a few bytes, whole. A frame
// may be split over any number of reads; the part it needs is then gathered in a scratch buffer.

const TYPE_PUBLISH = 3;

/** Reads a Variable Byte Integer at `i` of a frame's body: the index after it, and its value. */
export function readVarint(bytes: Buffer, i: number): [number, number] {
  let value = 0;
  let multiplier = 1;
  let b: number;
  do {
    b = bytes[i++] as number;
    value += (b & 0x7f) * multiplier;
    multiplier *= 128;
  } while (b & 0x80 && multiplier <= 128 ** 4);
  return [i, value];
}
// Shared until a frame is split over reads, so an idle reader costs no buffer (the memory case
// uses a raw connection as its floor).
const NO_SCRATCH = Buffer.alloc(0);

/**
 * One complete frame: `first` is its first byte (type and flags), `bytes[at..at + length)` the
 * part of its body read (see above). The bytes are only valid during the call.
 */
export type OnFrame = (first: number, bytes: Buffer, at: number, length: number) => void;

// Where the reader is in the current frame.
const State = { First: 0, Length: 1, Prefix: 2, Skip: 3 } as const;
type State = (typeof State)[keyof typeof State];

export class FrameReader {
  readonly #onFrame: OnFrame;
  #state: State = State.First;
  #first = 0;
  #multiplier = 1;
  /** Body bytes not consumed yet. */
  #remaining = 0;
  /** Body bytes to read (the rest is skipped); grows once a PUBLISH's topic length is known. */
  #need = 0;
  /** Whether `#need` still lacks the PUBLISH topic and packet id. */
  #needsTopic = false;
  /** How much of the body's read part is in `#scratch` (frames split over reads). */
  #got = 0;
  #scratch = NO_SCRATCH;

  constructor(onFrame: OnFrame) {
    this.#onFrame = onFrame;
  }

  push(chunk: Buffer): void {
    const end = chunk.length;
    let i = 0;
    while (i < end) {
      switch (this.#state) {
        case State.First:
          this.#first = chunk[i++] as number;
          this.#remaining = 0;
          this.#multiplier = 1;
          this.#state = State.Length;
          break;
        case State.Length: {
          const b = chunk[i++] as number;
          this.#remaining += (b & 0x7f) * this.#multiplier;
          this.#multiplier *= 128;
          if (b & 0x80) break;
          if (!this.#startBody()) break;
          // The common case: the read part of the body is in this chunk (no copy).
          if (this.#needsTopic && i + 2 <= end) this.#addTopic(chunk, i);
          if (!this.#needsTopic && i + this.#need <= end) {
            const at = i;
            if (i + this.#remaining <= end) {
              i += this.#remaining;
              this.#state = State.First;
              this.#onFrame(this.#first, chunk, at, this.#need);
              break;
            }
            this.#keep(chunk, i, this.#need);
            i = end;
            this.#remaining -= end - at;
            this.#state = State.Skip;
          }
          break;
        }
        case State.Prefix: {
          const take = Math.min(this.#need - this.#got, end - i);
          this.#keep(chunk, i, take);
          i += take;
          this.#remaining -= take;
          if (this.#needsTopic && this.#got >= 2) this.#addTopic(this.#scratch, 0);
          if (this.#got < this.#need) break;
          this.#state = State.Skip;
          if (this.#remaining === 0) this.#emitKept();
          break;
        }
        case State.Skip: {
          const take = Math.min(this.#remaining, end - i);
          i += take;
          this.#remaining -= take;
          if (this.#remaining === 0) this.#emitKept();
          break;
        }
      }
    }
  }

  /** After the fixed header: decide what of the body to read; false when nothing. */
  #startBody(): boolean {
    this.#got = 0;
    const isPublish = this.#first >> 4 === TYPE_PUBLISH;
    const qos = (this.#first >> 1) & 3;
    this.#needsTopic = isPublish && qos > 0;
    this.#need = isPublish ? (qos > 0 ? 2 : 0) : this.#remaining;
    if (this.#need === 0) {
      // Nothing to read: skip the body (possibly empty) and emit at its end.
      this.#state = State.Skip;
      if (this.#remaining === 0) this.#emitKept();
      return false;
    }
    this.#state = State.Prefix;
    return true;
  }

  /** `bytes[at..at + 2)` is a PUBLISH's topic length: read through the packet id. */
  #addTopic(bytes: Buffer, at: number): void {
    this.#need = 2 + bytes.readUInt16BE(at) + 2;
    this.#needsTopic = false;
  }

  #keep(bytes: Buffer, at: number, length: number): void {
    const size = this.#got + length;
    if (size > this.#scratch.length) {
      const bigger = Buffer.allocUnsafe(Math.max(size, this.#scratch.length * 2, 64));
      this.#scratch.copy(bigger, 0, 0, this.#got);
      this.#scratch = bigger;
    }
    bytes.copy(this.#scratch, this.#got, at, at + length);
    this.#got = size;
  }

  #emitKept(): void {
    this.#state = State.First;
    this.#onFrame(this.#first, this.#scratch, 0, this.#need);
  }
}
