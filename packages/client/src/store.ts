/**
 * The in-flight store: outbound QoS 1/2 flows the broker has not finished acknowledging.
 *
 * What it holds is exactly the client's share of the Session State that must outlive a
 * connection (spec 4.1): on reconnect with a session present, the client resends every stored
 * PUBLISH with DUP set and every stored PUBREL [MQTT-4.4.0-1], in their original order
 * [MQTT-4.6.0-1], before anything new. An entry is put when a QoS 1/2 PUBLISH is first sent, replaced by a `pubrel`
 * entry when its PUBREC arrives (QoS 2), and deleted on PUBACK / PUBCOMP (or a failure PUBREC).
 *
 * What it does not hold: the ids of inbound QoS 2 messages awaiting PUBREL (we received a
 * PUBLISH, sent PUBREC, and must not deliver a resent copy twice). Those belong to the session
 * and follow its lifetime, not this store's; a store is for flows we started.
 *
 * Methods may return promises so a persistent store (file, IndexedDB) fits the same shape; the
 * in-memory default (`createMemoryStore`) answers synchronously. A store keeps packets as given:
 * treat them as immutable and resend a copy (`{ ...packet, dup: true }`).
 */
import type { PublishPacket } from '@mqttkit/codec';

/**
 * One QoS 1/2 flow kept in an `InflightStore`: the PUBLISH sent, or its PUBREL, or an incoming QoS
 * 2 id.
 */
export type InflightEntry =
  /** A QoS 1/2 PUBLISH (with its `packetId`) awaiting PUBACK or PUBREC. */
  | { kind: 'publish'; packet: PublishPacket }
  /** A QoS 2 flow past PUBREC: our PUBREL awaits PUBCOMP. */
  | { kind: 'pubrel'; packetId: number };

/**
 * Where the client keeps unfinished QoS 1/2 flows, so they survive a reconnect (and, if persistent,
 * a restart).
 */
export interface InflightStore {
  /**
   * Inserts or replaces the entry for `packetId`. Replacing keeps the entry's place, so a QoS 2
   * flow moving from `publish` to `pubrel` is still resent in its original order.
   */
  put(packetId: number, entry: InflightEntry): void | Promise<void>;
  /** Removes the entry; an unknown id is not an error (a duplicate ack). */
  delete(packetId: number): void | Promise<void>;
  /** The entries in send order (order of each id's first put); a replaced entry keeps its place. */
  entries(): Iterable<[number, InflightEntry]> | Promise<Iterable<[number, InflightEntry]>>;
  /** Removes every entry: the broker has no session for us (Session Present 0, clean start). */
  clear(): void | Promise<void>;
}
