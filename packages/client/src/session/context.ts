/**
 * What every part of the session shares: its options, its packet ids, and the link the session
 * writes on. One object, handed to each part when the session is made.
 */
import { createPacketIdAllocator, type PacketIdAllocator } from '../packet-ids.js';
import type { SessionLink } from './link.js';
import type { SessionOptions } from './types.js';

/** What a map not made yet reads as. Never written: writers make their own map first. */
export const NO_ENTRIES: ReadonlyMap<never, never> = new Map<never, never>();

export class SessionContext {
  readonly options: SessionOptions;
  /** The link from its CONNACK until it ends. Nothing is written without one. */
  link: SessionLink | undefined;
  /** The version of the last link, kept between links (see `protocolVersion`). */
  agreedVersion: 4 | 5 | undefined;
  // Made on first use: a process may hold thousands of idle clients that never need an id.
  #ids: PacketIdAllocator | undefined;

  constructor(options: SessionOptions) {
    this.options = options;
  }

  /**
   * The version of the link, or of the last link between links, or the options' before the
   * first: under version negotiation a link may speak 3.1.1 although the options ask for 5.
   */
  get protocolVersion(): 4 | 5 {
    return this.link?.params.protocolVersion ?? this.agreedVersion ?? this.options.protocolVersion;
  }

  /** Packet ids for QoS 1/2 PUBLISH, SUBSCRIBE and UNSUBSCRIBE alike [MQTT-2.2.1-3]. */
  get ids(): PacketIdAllocator {
    this.#ids ??= createPacketIdAllocator();
    return this.#ids;
  }
}
