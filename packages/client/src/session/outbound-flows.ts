/**
 * Outbound PUBLISH. QoS 0 is handed over at once (or refused when too large). QoS 1/2 wait in a
 * backlog for a link, a slot of its send window and a packet id; each then becomes a flow, kept
 * in the in-flight store until PUBACK, or PUBREC then PUBCOMP, ends it. Flows leave in order and
 * are resent on a session that survived the link (PUBLISH with DUP, PUBREL) [MQTT-4.4.0-1]
 * [MQTT-4.6.0-1]. With an asynchronous store a flow is written only once stored.
 */
import type { Packet, PublishPacket } from '@mqttkit/codec';
import { NO_ENTRIES, type SessionContext } from './context.js';
import { type Flow, newFlow, restoredFlow } from './flow.js';
import type { SessionLink } from './link.js';
import {
  rejectCaller,
  rejectCallerWith,
  resolveHandedOver,
  settlePublish,
  withAck,
} from './settle.js';
import type { PublishOp, PublishResult } from './types.js';

/** The acks of an outbound QoS 1/2 flow. */
type FlowAck = Extract<Packet, { cmd: 'puback' | 'pubrec' | 'pubcomp' }>;

import { removeWaiting } from './waiting-list.js';

export class OutboundFlows {
  readonly #context: SessionContext;
  /** QoS 1/2 flows by packet id, in send order (a Map keeps insertion order); made on first use. */
  #flowMap: Map<number, Flow> | undefined;
  /**
   * How many flows are not written on this link. `pump()` walks the flows only when some are,
   * so a full window costs O(1) per ack instead of a scan of everything in flight.
   */
  #unsentFlows = 0;
  /** QoS 1/2 publishes waiting for a link, a window slot or a packet id. */
  readonly #backlog: PublishOp[] = [];
  /** Asynchronous `put`s not yet resolved. */
  #storing = 0;

  constructor(context: SessionContext) {
    this.#context = context;
  }

  get #flows(): ReadonlyMap<number, Flow> {
    return this.#flowMap ?? NO_ENTRIES;
  }

  get inflightCount(): number {
    return this.#flows.size;
  }

  get waitingCount(): number {
    return this.#backlog.length;
  }

  /** Loads flows left in a persistent store by an earlier process; their outcome has no caller. */
  async restore(): Promise<void> {
    const entries = await this.#context.options.store.entries();
    for (const [packetId, entry] of entries) {
      if (this.#flows.has(packetId)) continue;
      this.#context.ids.reserve(packetId);
      this.#add(packetId, restoredFlow(packetId, entry));
    }
  }

  /** Removes `op` if it is still in the backlog; false when it was written (or is done). */
  cancel(op: PublishOp): boolean {
    return removeWaiting(this.#backlog, op);
  }

  /**
   * An outbound PUBLISH. QoS 0: the packet to write now, or nothing when it is refused (too
   * large) or kept until a link is up; returned, not pushed, so the caller's `[packet]` is its
   * one allocation. QoS 1/2: into the backlog, which `pump` turns into flows.
   */
  publish(op: PublishOp): PublishPacket | undefined {
    const link = this.#context.link;
    // The client only hands QoS 0 over while connected; keep the contract total anyway.
    if (op.packet.qos !== 0 || !link) {
      this.#backlog.push(op);
      return undefined;
    }
    const tooLarge = link.checkSize(op.packet);
    if (tooLarge) {
      rejectCaller(op, tooLarge);
      return undefined;
    }
    resolveHandedOver(op);
    return link.wire(op.packet);
  }

  /**
   * Fills `link`'s send window into `out`: unsent flows first (in order), then the backlog.
   * False when it stopped at a full window before reaching the backlog.
   */
  pump(link: SessionLink, out: Packet[]): boolean {
    // Flows leave in order: one still being stored holds back those after it (new flows are
    // still created and stored meanwhile, so an asynchronous store works in parallel).
    let blocked = false;
    if (this.#unsentFlows > 0) {
      for (const flow of this.#flows.values()) {
        if (flow.sent) continue;
        if (!flow.persisted) {
          blocked = true;
          break;
        }
        if (!flow.slot) {
          if (!link.takeSlot()) return false;
          flow.slot = true;
        }
        flow.sent = true;
        this.#unsentFlows--;
        const packetId = flow.packet.packetId as number;
        out.push(flow.stage === 'pubrel' ? { cmd: 'pubrel', packetId } : link.wire(flow.packet));
      }
    }
    // Then the backlog becomes flows while the window and the packet ids allow.
    while (this.#backlog.length > 0) {
      const op = this.#backlog[0] as PublishOp;
      if (op.packet.qos === 0) {
        this.#backlog.shift();
        const packet = this.publish(op);
        if (packet !== undefined) out.push(packet);
        continue;
      }
      const tooLarge = link.checkSize(op.packet);
      if (tooLarge) {
        this.#backlog.shift();
        rejectCaller(op, tooLarge);
        continue;
      }
      if (!link.takeSlot()) break;
      const packetId = this.#context.ids.allocate();
      if (packetId === undefined) {
        link.releaseSlot();
        break;
      }
      this.#backlog.shift();
      const flow = newFlow(op, packetId);
      const packet = flow.packet;
      this.#add(packetId, flow);
      const stored = this.#context.options.store.put(packetId, { kind: 'publish', packet });
      if (stored instanceof Promise) {
        // Written once stored, so a restarted process can always finish what the broker got.
        this.#track(stored, flow, packetId);
        continue;
      }
      flow.persisted = true;
      if (blocked || this.#storing > 0) continue; // an earlier flow is still being stored
      flow.sent = true;
      this.#unsentFlows--;
      out.push(link.wire(packet));
    }
    return true;
  }

  /**
   * A link came up. On the same session, unacknowledged PUBLISH packets go again with DUP. With
   * no session, a flow past PUBREC is done (the broker took the message and the session that held
   * it is gone); the others are published again as new messages, not resends (those need a
   * session present [MQTT-4.4.0-2]), so none is lost.
   */
  connected(sessionPresent: boolean): void {
    for (const [packetId, flow] of [...this.#flows]) {
      if (sessionPresent) {
        if (flow.stage === 'publish') flow.packet = { ...flow.packet, dup: true };
      } else if (flow.stage === 'pubrel') {
        this.#finish(packetId, flow, { reasonCode: 0 });
      } else {
        flow.packet = { ...flow.packet, dup: false };
      }
    }
  }

  /** The link is gone: every flow is unsent again, and nothing in flight is dropped. */
  disconnected(): void {
    for (const flow of this.#flows.values()) {
      flow.sent = false;
      flow.slot = false;
    }
    this.#unsentFlows = this.#flows.size;
  }

  /**
   * The client stopped: what waited in the backlog was never written (`error(false)`); the
   * callers of flows get `error(true)`, and the flows stay (and in the store) to be finished by
   * the next connection: the broker may already have the message.
   */
  rejectAll(error: (written: boolean) => unknown): void {
    for (const op of this.#backlog.splice(0)) rejectCallerWith(op, error, false);
    for (const flow of this.#flows.values()) rejectCallerWith(flow.op, error, true);
  }

  /**
   * An ack of an outbound flow: the PUBREL to write, nothing, or `'ended'` when it ended a flow
   * (a window slot and a packet id are free: pump).
   */
  receive(packet: FlowAck): Packet | 'ended' | undefined {
    return packet.cmd === 'pubrec' ? this.#receivePubrec(packet) : this.#receiveFinalAck(packet);
  }

  /** PUBACK (QoS 1) or PUBCOMP (QoS 2, after PUBREL): `'ended'` when it ended a flow. */
  #receiveFinalAck(packet: Exclude<FlowAck, { cmd: 'pubrec' }>): 'ended' | undefined {
    const { cmd, packetId } = packet;
    const flow = this.#flows.get(packetId);
    const qos = cmd === 'puback' ? 1 : 2;
    if (
      flow?.stage !== (qos === 1 ? 'publish' : 'pubrel') ||
      flow.packet.qos !== qos ||
      !flow.sent
    ) {
      const message = `${cmd.toUpperCase()} for no QoS ${qos} flow; ignored`;
      this.#context.options.logger.debug({ packetId }, message);
      // Not a protocol error by any statement (a late duplicate after a resend is legal): the
      // link stays up, and the ack is reported.
      this.#unsolicited(cmd, packetId, message);
      return undefined;
    }
    this.#finishWithAck(flow, packet);
    return 'ended';
  }

  /** PUBREC: the PUBREL to write, nothing, or `'ended'` when a failure code ended the flow. */
  #receivePubrec(packet: Extract<FlowAck, { cmd: 'pubrec' }>): Packet | 'ended' | undefined {
    const packetId = packet.packetId;
    const flow = this.#flows.get(packetId);
    const protocolVersion = this.#context.protocolVersion;
    if (flow?.packet.qos !== 2 || !flow.sent) {
      // Under 5.0 tell the broker we have no such flow; under 3.1.1 a PUBREL ends it anyway.
      if (flow) return undefined;
      this.#unsolicited('pubrec', packetId, 'PUBREC for no QoS 2 flow; answered PUBREL');
      return protocolVersion === 5
        ? { cmd: 'pubrel', packetId, reasonCode: 0x92 }
        : { cmd: 'pubrel', packetId };
    }
    if ((packet.reasonCode ?? 0) >= 0x80) {
      // A failure PUBREC ends the flow: PUBREL only follows a code below 0x80 (MQTT 5 spec 4.3.3).
      this.#finishWithAck(flow, packet);
      return 'ended';
    }
    if (flow.stage === 'publish') {
      flow.stage = 'pubrel';
      const stored = this.#context.options.store.put(packetId, { kind: 'pubrel', packetId });
      if (stored instanceof Promise) {
        // Once PUBREL is sent the PUBLISH must never be resent (spec 4.3.3): a process that dies
        // before the store says `pubrel` would resend the PUBLISH on restart, and the broker,
        // done with that id, would deliver the message twice. So PUBREL waits for the store,
        // and `pump()` sends it (in flow order, so PUBRELs keep PUBREC order [MQTT-4.6.0-3]).
        flow.sent = false;
        this.#unsentFlows++;
        flow.persisted = false;
        this.#track(stored, flow, packetId);
        return undefined;
      }
    } else if (!flow.persisted) {
      return undefined; // a repeated PUBREC while the first is being stored
    }
    return { cmd: 'pubrel', packetId };
  }

  #unsolicited(cmd: FlowAck['cmd'], packetId: number, message: string): void {
    const packet = cmd.toUpperCase();
    this.#context.options.onAnomaly?.({ kind: 'unsolicited-ack', packet, packetId, message });
  }

  /** Ends `flow` with the result its ack gives: code, Reason String, properties. */
  #finishWithAck(flow: Flow, ack: FlowAck): void {
    const { packetId, reasonCode = 0, properties } = ack;
    this.#finish(packetId, flow, withAck({ packetId, reasonCode }, properties));
  }

  #add(packetId: number, flow: Flow): void {
    this.#flowMap ??= new Map();
    this.#flowMap.set(packetId, flow);
    this.#unsentFlows++;
  }

  #finish(packetId: number, flow: Flow, result: PublishResult): void {
    this.#flowMap?.delete(packetId);
    if (!flow.sent) this.#unsentFlows--;
    this.#context.ids.release(packetId);
    if (flow.slot) this.#context.link?.releaseSlot();
    const deleted = this.#context.options.store.delete(packetId);
    if (deleted instanceof Promise) {
      deleted.catch((error: unknown) =>
        this.#context.options.logger.error({ err: error }, 'in-flight store failed'),
      );
    }
    settlePublish(flow.op, packetId, flow.stage, result);
  }

  /** An asynchronous `put` for `flow`: the flow is written by `pump()` once it resolved. */
  #track(stored: Promise<void>, flow: Flow, packetId: number): void {
    this.#storing++;
    const done = (): void => {
      this.#storing--;
      flow.persisted = true;
      this.#context.options.onPersisted?.();
    };
    stored.then(done, (error: unknown) => {
      this.#context.options.logger.error({ err: error, packetId }, 'in-flight store failed');
      done();
    });
  }
}
