import type { ChunkDirection, FaultProxy } from './fault-proxy.js';
import { createFrameReader, type Frame, type FrameReader } from './frames.js';

/** One MQTT packet that reached the proxy, timestamped when its last byte arrived. */
export interface LoggedPacket extends Frame {
  direction: ChunkDirection;
  /** Which proxied TCP connection carried it (1, 2, ... in accept order). */
  linkId: number;
  /** `performance.now()` when the proxy read the chunk completing it. */
  atMs: number;
  /** False when the proxy's mode dropped it (blackhole, cut). */
  forwarded: boolean;
}

export interface PacketLog {
  readonly packets: readonly LoggedPacket[];
  /** Packets of one type name (e.g. 'pingreq'), optionally one way only. */
  of(name: Frame['name'], direction?: ChunkDirection): LoggedPacket[];
  count(name: Frame['name'], direction?: ChunkDirection): number;
  clear(): void;
  stop(): void;
}

/**
 * Records every packet crossing a fault proxy, reassembled per connection and direction with
 * the fixed-header reader. Decode `packet.bytes` with `@mqttkit/codec` when bodies matter.
 */
export function recordPackets(proxy: FaultProxy): PacketLog {
  const packets: LoggedPacket[] = [];
  const readers = new Map<string, FrameReader>();
  const stop = proxy.onChunk((direction, chunk, atMs, forwarded, linkId) => {
    const key = `${linkId}:${direction}`;
    let reader = readers.get(key);
    if (!reader) {
      reader = createFrameReader();
      readers.set(key, reader);
    }
    let frames: Frame[];
    try {
      frames = reader.push(chunk);
    } catch {
      // Not MQTT (or a hostile peer): stop reading this stream rather than throw in the proxy.
      readers.set(key, { push: () => [], buffered: () => 0 });
      return;
    }
    for (const frame of frames) packets.push({ ...frame, direction, linkId, atMs, forwarded });
  });
  const of = (name: Frame['name'], direction?: ChunkDirection) =>
    packets.filter((p) => p.name === name && (!direction || p.direction === direction));
  return {
    packets,
    of,
    count: (name, direction) => of(name, direction).length,
    clear: () => {
      packets.length = 0;
    },
    stop,
  };
}
