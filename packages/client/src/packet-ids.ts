/**
 * Packet Identifier allocation for SUBSCRIBE, UNSUBSCRIBE and QoS 1/2 PUBLISH.
 *
 * Ids are 1..65535 and must be "currently unused" [MQTT-2.2.1-3]: an id stays taken from
 * `allocate` until the flow that used it completes (PUBACK, PUBCOMP, SUBACK, UNSUBACK) and the
 * session calls `release`.
 *
 * Round-robin, not lowest-free: a cursor moves forward past the last id handed out, so a released
 * id comes back only after the other ~65k have been offered. A late or duplicated ack for a flow
 * that just finished then cannot be mistaken for an ack of a new flow that reused its id at once.
 *
 * Memory is one 8 KiB bit map, made on the first allocation: an idle or QoS 0-only client pays
 * nothing, which matters to a process holding thousands of clients. After that `allocate`,
 * `release` and `isInUse` allocate nothing. `allocate` is O(1) while ids are mostly free and scans at most 65535 slots when almost
 * all are taken.
 */

/** The largest Packet Identifier (a Two Byte Integer); 0 is not a valid id. */
export const MAX_PACKET_ID = 65_535;

export interface PacketIdAllocator {
  /** The next free id after the last one handed out, marked in use; undefined when all 65535 are. */
  allocate(): number | undefined;
  /** Frees `id`. Freeing an id that is not in use (a duplicate ack, say) does nothing. */
  release(id: number): void;
  isInUse(id: number): boolean;
  /** How many ids are in use. */
  readonly inUse: number;
  /**
   * Marks `id` in use without allocating it: for ids of flows restored from an in-flight store
   * after a restart. Idempotent. Throws `RangeError` for an id outside 1..65535.
   */
  reserve(id: number): void;
}

const isPacketId = (id: number): boolean => Number.isInteger(id) && id >= 1 && id <= MAX_PACKET_ID;

/** Throws `RangeError` for an id outside 1..65535. */
export function checkPacketId(id: number): void {
  if (!isPacketId(id)) {
    throw new RangeError(`Packet Identifier must be an integer 1-${MAX_PACKET_ID}, got ${id}`);
  }
}

export function createPacketIdAllocator(): PacketIdAllocator {
  // Bit `id` set = in use; bit 0 is never used. Made on the first allocation (see above).
  let bits: Uint32Array | undefined;
  let count = 0;
  // The id tried first by the next `allocate`.
  let cursor = 1;

  const has = (id: number): boolean =>
    bits !== undefined && ((bits[id >>> 5] as number) & (1 << (id & 31))) !== 0;
  const mark = (id: number): void => {
    bits ??= new Uint32Array((MAX_PACKET_ID + 1) >>> 5);
    bits[id >>> 5] = (bits[id >>> 5] as number) | (1 << (id & 31));
    count++;
  };

  return {
    allocate(): number | undefined {
      if (count === MAX_PACKET_ID) return undefined;
      // count < 65535 guarantees a free slot within one lap.
      let id = cursor;
      while (has(id)) id = id === MAX_PACKET_ID ? 1 : id + 1;
      mark(id);
      cursor = id === MAX_PACKET_ID ? 1 : id + 1;
      return id;
    },

    release(id: number): void {
      if (!isPacketId(id) || !has(id) || bits === undefined) return;
      bits[id >>> 5] = (bits[id >>> 5] as number) & ~(1 << (id & 31));
      count--;
    },

    isInUse(id: number): boolean {
      return isPacketId(id) && has(id);
    },

    get inUse(): number {
      return count;
    },

    reserve(id: number): void {
      checkPacketId(id);
      if (!has(id)) mark(id);
    },
  };
}
