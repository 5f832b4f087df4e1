/**
 * What every part of the session shares: its options, its packet ids, and the link the session
 * writes on. One object, handed to each part when the session is made.
 */
import { createPacketIdAllocator, MAX_PACKET_ID, type PacketIdAllocator } from '../packet-ids.js';
import type { SessionLink } from './link.js';
import type { SessionOptions } from './types.js';

export class SessionContext {
  readonly options: SessionOptions;
  /** The link from its CONNACK until it ends. Nothing is written without one. */
  link: SessionLink | undefined;
  // Made on first use: a process may hold thousands of idle clients that never need an id.
  #ids: PacketIdAllocator | undefined;

  constructor(options: SessionOptions) {
    this.options = options;
  }

  /** Packet ids for QoS 1/2 PUBLISH, SUBSCRIBE and UNSUBSCRIBE alike [MQTT-2.2.1-3]. */
  get ids(): PacketIdAllocator {
    this.#ids ??= createPacketIdAllocator();
    return this.#ids;
  }

  /** Whether an id is free now (without making the allocator). */
  get idFree(): boolean {
    return (this.#ids?.inUse ?? 0) < MAX_PACKET_ID;
  }
}
