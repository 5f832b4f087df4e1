/**
 * Topic aliases on the wire (MQTT 5): outgoing PUBLISH packets get an alias from this link's
 * table, incoming ones get their topic back. The tables themselves are `../topic-aliases.ts`;
 * they live as long as one link, since aliases never carry over to the next [MQTT-3.3.2-7].
 */
import type { PublishPacket, PublishProperties } from '@mqttkit/codec';
import type { IncomingAliases, OutgoingAliases } from '../topic-aliases.js';
import type { InboundResult } from './types.js';

/** The packet as it goes on this link: with an outgoing topic alias when one applies. */
export function withOutgoingAlias(aliases: OutgoingAliases, packet: PublishPacket): PublishPacket {
  const applied = aliases.apply(packet.topic);
  if (applied.alias === undefined) return packet;
  // Built field by field: this runs for every aliased PUBLISH, and object spread is several
  // times slower than a literal of known shape.
  const properties: PublishProperties = packet.properties
    ? { ...packet.properties, topicAlias: applied.alias }
    : { topicAlias: applied.alias };
  const out: PublishPacket = {
    cmd: 'publish',
    topic: applied.topic,
    payload: packet.payload,
    qos: packet.qos,
    retain: packet.retain,
    dup: packet.dup,
    properties,
  };
  if (packet.packetId !== undefined) out.packetId = packet.packetId;
  return out;
}

/** The inbound PUBLISH with its topic resolved from its alias, or the violation it commits. */
export function withIncomingTopic(
  aliases: IncomingAliases,
  packet: PublishPacket,
): PublishPacket | InboundResult {
  const resolved = aliases.resolve(packet.topic, packet.properties?.topicAlias);
  if ('error' in resolved) {
    // 0x94 Topic Alias invalid, or 0x82 for an alias never bound on this connection.
    return { send: [], violation: { reasonCode: resolved.error, message: resolved.message } };
  }
  return resolved.topic === packet.topic ? packet : { ...packet, topic: resolved.topic };
}
