/**
 * The MQTT session as the client sees it: packet ids, QoS 1/2 flows both ways, the in-flight
 * store, the Receive Maximum window, topic aliases, and the subscriptions to restore. No I/O:
 * packets come in and packets to write come out, so it is tested without sockets; the client
 * writes what it returns, in order, in the same tick. Callers' promises are settled as their
 * operations end, always through `session/settle.ts`.
 *
 * This class is the facade over `session/`, one job per module:
 * - `outbound-flows.ts` (with `flow.ts`): outbound PUBLISH, the send window, the in-flight store;
 * - `subscription-requests.ts`: SUBSCRIBE/UNSUBSCRIBE and their acks;
 * - `granted.ts`: the subscriptions to restore on a new session;
 * - `inbound.ts`: inbound PUBLISH, its acks and exactly-once QoS 2;
 * - `link.ts`: what lives and dies with one link (window, outgoing aliases, size limit);
 * - `topic-alias-wiring.ts`: topic aliases applied to outgoing and resolved on incoming PUBLISH;
 * - `settle.ts`: the one owner of callers' promises;
 * - `context.ts`: what the parts share (options, packet ids, the current link); `types.ts`.
 */
import type { Packet, PublishPacket } from '@mqttkit/codec';
import { SessionContext } from './session/context.js';
import { GrantedSubscriptions } from './session/granted.js';
import { InboundPublishes } from './session/inbound.js';
import { SessionLink } from './session/link.js';
import { OutboundFlows } from './session/outbound-flows.js';
import { detachCaller } from './session/settle.js';
import { SubscriptionRequests } from './session/subscription-requests.js';
import type {
  InboundResult,
  LinkParams,
  Op,
  PublishOp,
  SessionOptions,
  SubscribeOp,
  UnsubscribeOp,
} from './session/types.js';

export { withAck } from './session/settle.js';
export type {
  AckInfo,
  Deferred,
  InboundResult,
  LinkParams,
  Op,
  PublishOp,
  PublishResult,
  SessionOptions,
  SubscribeOp,
  SubscribeResult,
  UnsubscribeOp,
  UnsubscribeResult,
} from './session/types.js';

/**
 * Each part answers the lifecycle calls it takes part in under the same names as this class
 * (`connected`, `disconnected`, `receive`, `rejectAll`, `cancel`...), so what the session does on
 * each is read here, in order.
 */
export class Session {
  readonly #context: SessionContext;
  readonly #flows: OutboundFlows;
  readonly #requests: SubscriptionRequests;
  readonly #granted: GrantedSubscriptions;
  readonly #inbound: InboundPublishes;

  constructor(options: SessionOptions) {
    const context = new SessionContext(options);
    this.#context = context;
    this.#flows = new OutboundFlows(context);
    this.#granted = new GrantedSubscriptions();
    this.#requests = new SubscriptionRequests(context, this.#granted);
    this.#inbound = new InboundPublishes(context);
  }

  /** Loads flows left in a persistent store by an earlier process; their outcome has no caller. */
  restore(): Promise<void> {
    return this.#flows.restore();
  }

  get inflightCount(): number {
    return this.#flows.inflightCount;
  }

  /** Inbound QoS 2 flows awaiting their PUBREL (the broker counts them against our Receive Maximum). */
  get inboundAwaitingPubrel(): number {
    return this.#inbound.awaitingPubrel;
  }

  /** Whether an inbound PUBLISH starts a QoS 1/2 flow (not QoS 0, not a resent QoS 2). */
  startsInboundFlow(packet: PublishPacket): boolean {
    return this.#inbound.startsFlow(packet);
  }

  get waitingCount(): number {
    return this.#flows.waitingCount + this.#requests.waitingCount;
  }

  /** Whether an operation awaits an answer from the broker (a QoS 1/2 flow, a SUBACK, an UNSUBACK). */
  get awaitsBroker(): boolean {
    return this.#flows.inflightCount > 0 || this.#requests.pendingCount > 0;
  }

  /** Outbound PUBLISH. QoS 0 is written at once (or refused); QoS 1/2 go through the window. */
  publish(op: PublishOp): Packet[] {
    const packet = this.#flows.publish(op);
    if (op.packet.qos > 0) return this.#pump([]);
    return packet === undefined ? [] : [packet];
  }

  /** Removes an operation that was not written yet. Returns false when it was (or is done). */
  cancel(op: Op): boolean {
    const removed = op.kind === 'publish' ? this.#flows.cancel(op) : this.#requests.cancel(op);
    // Written: the flow goes on without a caller (the broker may already have the message).
    if (!removed) detachCaller(op);
    return removed;
  }

  /**
   * A CONNACK accepted the link. Returns, in order: the resubscribes (new session), the flows to
   * resend (session present: PUBLISH with DUP and PUBREL, original ids and order
   * [MQTT-4.4.0-1] [MQTT-4.6.0-1]), then what waited. All of it is written in one tick, so the
   * resend is pipelined rather than one round trip per message.
   */
  /** The version operations are checked against: the link's, the last link's, or the options'. */
  get protocolVersion(): 4 | 5 {
    return this.#context.protocolVersion;
  }

  connected(params: LinkParams): Packet[] {
    const context = this.#context;
    const { sessionPresent } = params;
    context.link = new SessionLink(params, context.options);
    context.agreedVersion = params.protocolVersion;
    this.#inbound.connected(sessionPresent);
    this.#flows.connected(sessionPresent);
    const out: Packet[] = [];
    if (!sessionPresent && context.options.resubscribe) {
      this.#requests.restore(this.#granted.resubscribes(), out);
    }
    this.#requests.connected(out);
    return this.#pump(out);
  }

  /** The link is gone: nothing is written until `connected`, and nothing in flight is dropped. */
  disconnected(): void {
    this.#context.link = undefined;
    this.#flows.disconnected();
    // SUBSCRIBE/UNSUBSCRIBE are not part of the session state: send them again on the next link.
    this.#requests.disconnected();
  }

  /**
   * The client stopped: every caller waiting gets `error(written)`. Flows stay in the store and
   * are finished by the next connection (the broker may already have the message).
   */
  rejectAll(error: (written: boolean) => unknown): void {
    this.#flows.rejectAll(error);
    this.#requests.rejectAll(error);
  }

  /** Forget the subscriptions to restore (after a local `end()`). */
  forgetSubscriptions(): void {
    this.#granted.clear();
  }

  /** A packet from the broker (already checked by the codec and `checkInbound`). */
  receive(packet: Packet): InboundResult {
    switch (packet.cmd) {
      case 'publish':
      case 'pubrel':
        return this.#inbound.receive(packet);
      case 'puback':
      case 'pubrec':
      case 'pubcomp': {
        const answer = this.#flows.receive(packet);
        if (answer === 'ended') return { send: this.#pump([]) };
        return { send: answer === undefined ? [] : [answer] };
      }
      case 'suback':
      case 'unsuback':
        return this.#requests.receive(packet);
      default:
        return { send: [] };
    }
  }

  /** Outbound SUBSCRIBE or UNSUBSCRIBE: written now, or once a link (and a packet id) is free. */
  sendAckable(op: SubscribeOp | UnsubscribeOp): Packet[] {
    const out: Packet[] = [];
    this.#requests.sendAckable(op, out);
    return out;
  }

  /** What can be written now (after an asynchronous store caught up). */
  resume(): Packet[] {
    return this.#pump([]);
  }

  /**
   * Fills the send window into `out`: unsent flows first (in order), then the backlog, then the
   * SUBSCRIBE/UNSUBSCRIBE that waited for a packet id.
   */
  #pump(out: Packet[]): Packet[] {
    const link = this.#context.link;
    if (link && this.#flows.pump(link, out)) this.#requests.resume(out);
    return out;
  }
}
