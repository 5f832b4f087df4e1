// The 4-byte acks (PUBACK, PUBREC, PUBREL, PUBCOMP without reason or properties, valid in MQTT
// 3.1.1 and 5.0: a missing reason means success [MQTT-3.4.2-1]) a raw peer owes for one read,
// gathered and written in one go after it: one write per read instead of one per frame.
import type { Socket } from 'node:net';
import { TYPE } from './packet-types.js';
import type { AckListener } from './raw.js';

export class ReplyBatch {
  #bytes: Buffer | undefined;
  #length = 0;

  /** Adds an ack with first byte `first` and the packet id at `bytes[idAt..idAt + 2)`. */
  add(first: number, bytes: Buffer, idAt: number): void {
    if (!this.#bytes || this.#length + 4 > this.#bytes.length) {
      const bigger = Buffer.allocUnsafe(Math.max(256, (this.#bytes?.length ?? 0) * 2));
      this.#bytes?.copy(bigger, 0, 0, this.#length);
      this.#bytes = bigger;
    }
    this.#bytes[this.#length] = first;
    this.#bytes[this.#length + 1] = 2;
    this.#bytes[this.#length + 2] = bytes[idAt] as number;
    this.#bytes[this.#length + 3] = bytes[idAt + 1] as number;
    this.#length += 4;
  }

  /** Writes what was gathered, if anything. */
  flush(socket: Socket): void {
    if (this.#length === 0 || !this.#bytes) return;
    // The buffer goes to the socket: the next read gets a new one.
    socket.write(this.#bytes.subarray(0, this.#length));
    this.#bytes = undefined;
    this.#length = 0;
  }
}

/** The reason code of an ack body (id, then an optional reason; absent means success). */
const reasonOf = (bytes: Buffer, at: number, length: number): number =>
  length > 2 ? (bytes[at + 2] as number) : 0;

/**
 * What both raw peers (the raw client and the client-bound bench's server) do with the frames of
 * a QoS flow: a QoS 1 PUBLISH is answered with PUBACK, a QoS 2 PUBLISH with PUBREC, a PUBREL with
 * PUBCOMP, a PUBREC of its own publish with PUBREL; acks of its own publishes go to `acks`.
 */
export class FlowAnswers {
  readonly #replies = new ReplyBatch();
  /** Told of this side's own publishes being acknowledged. */
  acks: AckListener | undefined;
  /** PUBLISH frames completed since the last `endOfRead`. */
  #publishes = 0;
  /** QoS 2 PUBLISHes answered with PUBREC whose PUBREL has not come yet. */
  awaitingPubrel = 0;

  /** Handles one frame of a flow; false when it is none (CONNACK, SUBACK, ...). */
  frame(first: number, bytes: Buffer, at: number, length: number): boolean {
    const type = first >> 4;
    if (type === TYPE.PUBLISH) {
      this.#publishes++;
      const qos = (first >> 1) & 3;
      if (qos === 0) return true;
      const idAt = at + length - 2;
      if (qos === 1) this.#replies.add(TYPE.PUBACK << 4, bytes, idAt);
      else {
        this.#replies.add(TYPE.PUBREC << 4, bytes, idAt);
        this.awaitingPubrel++;
      }
      return true;
    }
    if (type === TYPE.PUBREL) {
      this.#replies.add(TYPE.PUBCOMP << 4, bytes, at);
      this.awaitingPubrel--;
      return true;
    }
    if (type !== TYPE.PUBACK && type !== TYPE.PUBREC && type !== TYPE.PUBCOMP) return false;
    const reason = reasonOf(bytes, at, length);
    if (type === TYPE.PUBREC && reason < 0x80)
      this.#replies.add((TYPE.PUBREL << 4) | 0x2, bytes, at);
    this.acks?.ack(type, bytes.readUInt16BE(at), reason);
    return true;
  }

  /** After a read: writes its replies; returns how many PUBLISHes it completed. */
  endOfRead(socket: Socket): number {
    this.#replies.flush(socket);
    const count = this.#publishes;
    this.#publishes = 0;
    return count;
  }
}
