/**
 * One outbound QoS 1/2 flow: the operation, the packet as stored, and where it stands on the
 * current link. Built here as literals of one shape: spread is slow on the publish path.
 */
import type { PublishPacket } from '@mqttkit/codec';
import type { InflightEntry } from '../store.js';
import type { PublishOp } from './types.js';

export interface Flow {
  op: PublishOp;
  /** The packet as stored (with its packet id). */
  packet: PublishPacket;
  stage: 'publish' | 'pubrel';
  /** Written on the current link. */
  sent: boolean;
  /** Holds a slot of the current link's send window. */
  slot: boolean;
  /** The store has it (an asynchronous `put` resolved): only then is it written. */
  persisted: boolean;
}

/** A flow for `op` under `packetId`, holding the window slot just taken, not stored yet. */
export function newFlow(op: PublishOp, packetId: number): Flow {
  const asked = op.packet;
  // `{ ...asked, packetId, dup: false }`, as a literal.
  const packet: PublishPacket = {
    cmd: 'publish',
    topic: asked.topic,
    payload: asked.payload,
    qos: asked.qos,
    retain: asked.retain,
    dup: false,
    packetId,
  };
  if (asked.properties !== undefined) packet.properties = asked.properties;
  return { op, packet, stage: 'publish', sent: false, slot: true, persisted: false };
}

/**
 * A flow an earlier process left in a persistent store: its outcome has no caller. A flow past
 * PUBREC keeps only its id (the broker has the message), so its packet is a placeholder.
 */
export function restoredFlow(packetId: number, entry: InflightEntry): Flow {
  const packet: PublishPacket =
    entry.kind === 'publish'
      ? entry.packet
      : {
          cmd: 'publish',
          topic: '',
          payload: new Uint8Array(0),
          qos: 2,
          retain: false,
          dup: true,
          packetId,
        };
  return {
    op: { kind: 'publish', packet, deferred: undefined },
    packet,
    stage: entry.kind,
    sent: false,
    slot: false,
    persisted: true,
  };
}
