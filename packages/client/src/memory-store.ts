/**
 * The default in-flight store: a Map, which iterates in insertion order and keeps a key's place
 * when its value is replaced. That is exactly the ordering contract of `InflightStore`.
 *
 * It lives as long as the client object, so QoS 1/2 flows survive reconnects but not a process
 * restart; use a persistent store for that.
 */
import { checkPacketId } from './packet-ids.js';
import type { InflightEntry, InflightStore } from './store.js';

function check(packetId: number, entry: InflightEntry): void {
  // Catches session bugs at the point of the mistake instead of as a wrong resend later.
  checkPacketId(packetId);
  if (entry.kind === 'publish' && entry.packet.qos === 0) {
    throw new RangeError('a QoS 0 PUBLISH has no in-flight state');
  }
  const stored = entry.kind === 'publish' ? entry.packet.packetId : entry.packetId;
  if (stored !== packetId) {
    throw new RangeError(`${entry.kind} packetId ${stored} stored under ${packetId}`);
  }
}

/** The default in-flight store: in memory, gone when the program exits. */
export function createMemoryStore(): InflightStore {
  return new MapStore();
}

class MapStore implements InflightStore {
  /** Made on the first `put`: a client that never sends QoS 1/2 pays nothing. */
  #map: Map<number, InflightEntry> | undefined;

  put(packetId: number, entry: InflightEntry): void {
    check(packetId, entry);
    this.#map ??= new Map();
    this.#map.set(packetId, entry);
  }

  delete(packetId: number): void {
    this.#map?.delete(packetId);
  }

  entries(): Iterable<[number, InflightEntry]> {
    // A snapshot: the resend loop deletes and puts entries as acks arrive, and a live Map
    // iterator would then visit entries put during the loop.
    return this.#map ? [...this.#map] : [];
  }

  clear(): void {
    this.#map?.clear();
  }
}
