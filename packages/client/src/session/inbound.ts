/**
 * PUBLISH from the broker: its topic resolved from its alias, the ack it is owed, and exactly-once
 * delivery of QoS 2 (an id is remembered from PUBREC until PUBREL, so a resent PUBLISH is not
 * delivered twice).
 */
import type { Packet, PublishPacket } from '@mqttkit/codec';
import { createIncomingAliases, type IncomingAliases } from '../topic-aliases.js';
import type { SessionContext } from './context.js';
import { withIncomingTopic } from './topic-alias-wiring.js';
import type { InboundResult } from './types.js';

export class InboundPublishes {
  readonly #context: SessionContext;
  /** Inbound QoS 2 ids we sent PUBREC for and await PUBREL on: never deliver them twice. */
  #qos2: Set<number> | undefined;
  /** This link's alias table, made by the first PUBLISH on it. */
  #aliases: IncomingAliases | undefined;

  constructor(context: SessionContext) {
    this.#context = context;
  }

  /** A new link: no alias is bound on it yet [MQTT-3.3.2-7]; a new session holds no QoS 2 ids. */
  connected(sessionPresent: boolean): void {
    this.#aliases = undefined;
    // A new session: the broker keeps no inbound QoS 2 state, so neither do we.
    if (!sessionPresent) this.#qos2 = undefined;
  }

  /** QoS 2 flows between their PUBLISH and their PUBREL: unacknowledged in the broker's count. */
  get awaitingPubrel(): number {
    return this.#qos2?.size ?? 0;
  }

  /** Whether `packet` starts a QoS 1/2 flow (a resent PUBLISH of a flow awaiting PUBREL does not). */
  startsFlow(packet: PublishPacket): boolean {
    if (packet.qos === 0) return false;
    return packet.qos === 1 || this.#qos2?.has(packet.packetId as number) !== true;
  }

  receive(packet: Extract<Packet, { cmd: 'publish' | 'pubrel' }>): InboundResult {
    return packet.cmd === 'publish'
      ? this.#receivePublish(packet)
      : this.#receivePubrel(packet.packetId);
  }

  #receivePublish(packet: PublishPacket): InboundResult {
    let message = packet;
    const options = this.#context.options;
    if (this.#context.protocolVersion === 5) {
      this.#aliases ??= createIncomingAliases(options.incomingAliasMaximum);
      const resolved = withIncomingTopic(this.#aliases, packet);
      if ('send' in resolved) return resolved;
      message = resolved;
    }
    if (packet.qos === 0) return { send: [], message };
    const packetId = packet.packetId as number;
    if (packet.qos === 1) return { send: [{ cmd: 'puback', packetId }], message };
    const pubrec: Packet = { cmd: 'pubrec', packetId };
    // QoS 2: deliver once; a resent PUBLISH of a flow awaiting PUBREL only gets its PUBREC again
    // (method B of spec 4.3.3: the id is kept until PUBREL).
    this.#qos2 ??= new Set();
    if (this.#qos2.has(packetId)) return { send: [pubrec] };
    this.#qos2.add(packetId);
    return { send: [pubrec], message };
  }

  /** Spec 4.3.3: every PUBREL is answered with PUBCOMP; under 5.0 say when we had no such flow. */
  #receivePubrel(packetId: number): InboundResult {
    const known = this.#qos2?.delete(packetId) === true;
    const pubcomp: Packet =
      this.#context.protocolVersion === 5 && !known
        ? { cmd: 'pubcomp', packetId, reasonCode: 0x92 }
        : { cmd: 'pubcomp', packetId };
    return { send: [pubcomp] };
  }
}
