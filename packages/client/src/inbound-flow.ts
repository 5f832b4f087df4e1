/**
 * Inbound flow control: how much of what the broker sends the client may hold, and when it
 * stops reading the socket so that TCP's window slows the broker down instead of memory growing.
 *
 * Reading stops for either of two reasons:
 * - every consumer is full: there are `messages()` iterators, each at its buffer bound, and no
 *   other `message` listener (a plain listener takes each message as it comes). Decoding QoS 0
 *   messages only to drop them would waste what the consumers could take;
 * - `ackAfterHandler`: `receiveMaximum` messages wait for their handlers. 3.1.1 has no Receive
 *   Maximum, so a broker may send on; not reading is the only brake. An MQTT 5 broker must stop
 *   there, but one that does not (mosquitto 2.0.11) is held back the same way.
 * and only while no operation awaits the broker's answer (a QoS 1/2 publish, a SUBSCRIBE): a
 * consumer that publishes and awaits the PUBACK before taking the next message would otherwise
 * wait for an answer left unread behind its own pause, for ever.
 *
 * Under MQTT 5 a broker past our Receive Maximum breaks [MQTT-3.3.4-9]: `receiveMaximumCheck`
 * makes inbound dispatch report it, and close with 0x93 far past it (see there). Reading stops
 * at the bound under both versions, so only what one transport read carried can be past it.
 *
 * "Reading paused" is flow control, not connection state, so it lives here and not in the state
 * machine: it belongs to one link (a new link reads from its first byte: its CONNACK must be
 * read), it follows the application's pace message by message, and no decision of the machine
 * (connect, close, reconnect) depends on it. It is kept as the link this object paused, so it
 * dies with that link. The keepalive engine is told, so a paused reader is never taken for a
 * dead link (`Keepalive.readingPaused`).
 */
import type { PublishPacket } from '@mqttkit/codec/client';
import type { Keepalive } from '@mqttkit/keepalive';
import type { Link } from './link.js';
import type { Session } from './session.js';

/** What a `messages()` iterator tells the flow about its buffer. */
export interface ConsumerPressure {
  /**
   * The buffer is at its bound (idempotent). Returns whether reading is paused now: the messages
   * still decoded from bytes already read are then kept rather than dropped.
   */
  full(): boolean;
  /** The buffer has room again (it fell to half its bound). */
  room(): void;
  /** The iterator no longer listens. */
  closed(): void;
}

export interface InboundFlowParts {
  readonly keepalive: Keepalive;
  readonly session: Session;
  /** The Receive Maximum we announce (65535 when none is). */
  readonly receiveMaximum: number;
  /** How many `message` listeners there are, iterators' included. */
  readonly messageListeners: () => number;
}

/** What `stats()` shows of inbound flow control. */
export interface InboundFlowStats {
  /** Messages of the current link whose acks wait for their handlers (`ackAfterHandler`). */
  readonly held: number;
  /** Whether the client has stopped reading the socket (flow control). */
  readonly readingPaused: boolean;
}

/**
 * How far past our Receive Maximum an MQTT 5 broker may go before the client closes with 0x93
 * (see `receiveMaximumCheck`).
 */
export const RECEIVE_MAXIMUM_TOLERANCE = 1000;

export class InboundFlow {
  readonly #parts: InboundFlowParts;
  #consumers = 0;
  #fullConsumers = 0;
  /** The link that last delivered a message. */
  #link: Link | undefined;
  /** The link whose reading this object paused. */
  #paused: Link | undefined;

  constructor(parts: InboundFlowParts) {
    this.#parts = parts;
  }

  /**
   * MQTT 5: where `packet` puts the broker against our Receive Maximum [MQTT-3.3.4-9], counting
   * what it has unacknowledged: held PUBACKs (`ackAfterHandler`) and QoS 2 flows awaiting PUBREL
   * (their PUBCOMP is not sent yet).
   * - `over`: past it by up to `RECEIVE_MAXIMUM_TOLERANCE`: reported, not fatal, because a
   *   common broker does it: mosquitto 2.0.11, given Receive Maximum 2 and a slow consumer,
   *   answers each PUBACK with two PUBLISHes (unacknowledged: 3, 4, 5...), up to its own
   *   `max_inflight_messages` (20 by default).
   * - `exceeded`: further still while the client reads on (it must while it awaits an answer
   *   from the broker, or when the transport cannot pause): the link closes with 0x93, so what
   *   is held stays bounded. With reading stopped the surplus is bounded by the reads already
   *   made, so it is only reported.
   */
  receiveMaximumCheck(packet: PublishPacket, link: Link): 'within' | 'over' | 'exceeded' {
    if (link.protocolVersion !== 5 || packet.qos === 0) return 'within';
    const unacknowledged = link.heldPubacks + this.#parts.session.inboundAwaitingPubrel;
    if (
      unacknowledged < this.#parts.receiveMaximum ||
      !this.#parts.session.startsInboundFlow(packet)
    ) {
      return 'within';
    }
    // While reading is stopped, what is still decoded came in reads already made: bounded by
    // them, so no close. mosquitto 2.0.11 sends a resumed session's backlog past our Receive
    // Maximum, and closing there would redeliver every message in hand for nothing.
    if (this.readingPaused) return 'over';
    return unacknowledged < this.#parts.receiveMaximum + RECEIVE_MAXIMUM_TOLERANCE
      ? 'over'
      : 'exceeded';
  }

  /** An operation that awaits the broker's answer was written: reading may not stay stopped. */
  awaiting(): void {
    if (this.#link) this.#apply(this.#link);
  }

  /** `link` delivered a message or released acks: read on, or stop. */
  update(link: Link): void {
    this.#link = link;
    this.#apply(link);
  }

  /** A `messages()` iterator's voice here. */
  consumer(): ConsumerPressure {
    let full = false;
    let open = true;
    this.#consumers++;
    return {
      full: () => {
        if (!full && open) {
          full = true;
          this.#fullConsumers++;
          if (this.#link) this.#apply(this.#link);
        }
        return this.readingPaused;
      },
      room: () => {
        if (!full) return;
        full = false;
        this.#fullConsumers--;
        if (this.#link) this.#apply(this.#link);
      },
      closed: () => {
        if (!open) return;
        open = false;
        this.#consumers--;
        if (full) this.#fullConsumers--;
        full = false;
        if (this.#link) this.#apply(this.#link);
      },
    };
  }

  get readingPaused(): boolean {
    return this.#paused?.isOpen === true;
  }

  stats(): InboundFlowStats {
    const link = this.#link;
    return { held: link?.isOpen ? link.heldAcks : 0, readingPaused: this.readingPaused };
  }

  #wantsPause(link: Link): boolean {
    if (this.#parts.session.awaitsBroker) return false;
    if (
      this.#fullConsumers > 0 &&
      this.#fullConsumers === this.#consumers &&
      this.#parts.messageListeners() === this.#consumers
    ) {
      return true;
    }
    // Both versions: at our Receive Maximum of held acks, stop reading. Under 3.1.1 it is the
    // only brake; under MQTT 5 the broker should have stopped already [MQTT-3.3.4-9], but
    // mosquitto 2.0.11 does not (see `receiveMaximumCheck`): not reading keeps its surplus in TCP
    // buffers instead of our memory, and keeps a long-running consumer group clear of the 0x93
    // close (a close would redeliver every message in hand).
    return link.heldAcks >= this.#parts.receiveMaximum;
  }

  #apply(link: Link): void {
    // A paused link that is gone took its pause with it (the keepalive restarts on the next).
    if (this.#paused !== undefined && this.#paused !== link) this.#paused = undefined;
    const pause = this.#wantsPause(link);
    if (pause === (this.#paused === link)) return;
    if (pause) {
      if (link.connack === undefined || !link.connection.pauseReading()) return;
      this.#paused = link;
      this.#parts.keepalive.readingPaused();
      return;
    }
    this.#paused = undefined;
    link.connection.resumeReading();
    this.#parts.keepalive.readingResumed();
  }
}
