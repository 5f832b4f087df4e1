/**
 * What lives and dies with one link, made from its CONNACK: the broker's limits, the send window
 * and the outgoing topic aliases. A new link is a new object, so nothing here is reset by hand:
 * a fresh window [MQTT-4.9.0-1] and no alias mappings [MQTT-3.3.2-7] come with it.
 */
import type { Packet, PublishPacket } from '@mqttkit/codec';
import { PacketTooLargeForBrokerError } from '../errors.js';
import { createSendWindow, type SendWindow } from '../send-window.js';
import { createOutgoingAliases, type OutgoingAliases } from '../topic-aliases.js';
import { withOutgoingAlias } from './topic-alias-wiring.js';
import type { LinkParams, SessionOptions } from './types.js';

export class SessionLink {
  readonly params: LinkParams;
  readonly #options: SessionOptions;
  /** The broker's Topic Alias Maximum for us on this link, when we use aliases (else 0). */
  readonly #outAliasMaximum: number;
  // Each made by the first QoS 1/2 PUBLISH (window) or aliased PUBLISH (table) that needs it.
  #window: SendWindow | undefined;
  #outAliases: OutgoingAliases | undefined;

  constructor(params: LinkParams, options: SessionOptions) {
    this.params = params;
    this.#options = options;
    this.#outAliasMaximum =
      (params.protocolVersion ?? options.protocolVersion) === 5 && options.outgoingTopicAliases
        ? params.topicAliasMaximum
        : 0;
  }

  /** A slot of this link's send window for a QoS 1/2 PUBLISH. */
  takeSlot(): boolean {
    this.#window ??= createSendWindow(this.params.receiveMaximum);
    return this.#window.tryAcquire();
  }

  releaseSlot(): void {
    this.#window?.release();
  }

  /** The packet as it goes on this link: with an outgoing topic alias when one applies. */
  wire(packet: PublishPacket): PublishPacket {
    if (this.#outAliasMaximum === 0) return packet;
    this.#outAliases ??= createOutgoingAliases(this.#outAliasMaximum);
    return withOutgoingAlias(this.#outAliases, packet);
  }

  /** The error to refuse `packet` with, when it is larger than the broker accepts. */
  checkSize(packet: Packet): PacketTooLargeForBrokerError | undefined {
    const max = this.params.maximumPacketSize;
    if (max === undefined) return undefined;
    if (packet.cmd === 'publish' && packet.properties === undefined) {
      // Encoding just to measure costs as much as the write itself: skip it when even the largest
      // encoding of this PUBLISH fits (5 fixed header, 2 + 3 per UTF-16 unit of topic, 2 packet
      // id, 1 property length and 4 for a topic alias `wire()` may add, the payload).
      const largest = 14 + 3 * packet.topic.length + packet.payload.length;
      if (largest <= max) return undefined;
    }
    // [MQTT-3.2.2-15]: never send a packet larger than the broker's Maximum Packet Size.
    // A QoS 1/2 PUBLISH is measured before it takes a packet id; any id has the same size.
    const measured =
      packet.cmd === 'publish' && packet.qos > 0 && packet.packetId === undefined
        ? { ...packet, packetId: 1 }
        : packet;
    const size = this.#options.measure(measured);
    return size > max ? new PacketTooLargeForBrokerError(size, max) : undefined;
  }
}
