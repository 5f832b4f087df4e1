/**
 * The MQTT session as the client sees it: packet ids, QoS 1/2 flows both ways, the in-flight
 * store, the Receive Maximum window, topic aliases, and the subscriptions to restore. No I/O:
 * packets come in, packets to write and settled operations come out, so it is tested without
 * sockets. The client writes what it returns, in order, in the same tick.
 */
import type {
  AckProperties,
  Packet,
  PublishPacket,
  PublishProperties,
  QoS,
  SubscribeProperties,
  Subscription,
  UnsubscribeProperties,
} from '@mqttkit/codec';
import type { ProtocolViolationCode } from '@mqttkit/state';
import { PacketTooLargeForBrokerError, PublishRefusedError } from './errors.js';
import type { Logger } from './logger.js';
import { createPacketIdAllocator, type PacketIdAllocator } from './packet-ids.js';
import { createSendWindow, type SendWindow } from './send-window.js';
import type { InflightStore } from './store.js';
import {
  createIncomingAliases,
  createOutgoingAliases,
  type IncomingAliases,
  type OutgoingAliases,
} from './topic-aliases.js';

export interface Deferred<T> {
  resolve(value: T): void;
  reject(error: unknown): void;
}

/** How a QoS 1/2 publish ended (QoS 0: `{ reasonCode: 0 }` once written). */
export interface PublishResult {
  packetId?: number;
  /** PUBACK/PUBREC (and PUBCOMP for QoS 2) reason code; 0 under MQTT 3.1.1. */
  reasonCode: number;
  reasonString?: string;
  properties?: AckProperties;
}

/** One per topic filter. A refusal (>= 0x80) is a result, not an error. */
export interface SubscribeResult {
  topicFilter: string;
  reasonCode: number;
  /** The QoS granted, when accepted. */
  qos?: QoS;
}

/** One per topic filter. Under MQTT 3.1.1 UNSUBACK has no codes: every result is 0x00. */
export interface UnsubscribeResult {
  topicFilter: string;
  reasonCode: number;
}

export interface AckInfo {
  reasonString?: string;
  properties?: AckProperties;
}

export interface PublishOp {
  readonly kind: 'publish';
  /** The packet as the user asked for it: full topic, no alias, no packet id yet. */
  packet: PublishPacket;
  deferred: Deferred<PublishResult> | undefined;
}

export interface SubscribeOp {
  readonly kind: 'subscribe';
  subscriptions: Subscription[];
  properties: SubscribeProperties | undefined;
  deferred: Deferred<{ results: SubscribeResult[] } & AckInfo> | undefined;
  /** Internal resubscribes are not reported to a caller. */
  readonly internal: boolean;
  /** Written at least once (the broker may have acted on it). */
  written?: boolean;
}

export interface UnsubscribeOp {
  readonly kind: 'unsubscribe';
  topicFilters: string[];
  properties: UnsubscribeProperties | undefined;
  deferred: Deferred<{ results: UnsubscribeResult[] } & AckInfo> | undefined;
  written?: boolean;
}

export type Op = PublishOp | SubscribeOp | UnsubscribeOp;

/** What a CONNACK told us about this link. */
export interface LinkParams {
  sessionPresent: boolean;
  /** The broker's Receive Maximum (65535 when absent). */
  receiveMaximum: number;
  /** The broker's Maximum Packet Size, when it set one. */
  maximumPacketSize: number | undefined;
  /** The broker's Topic Alias Maximum (0: no outgoing aliases). */
  topicAliasMaximum: number;
}

export interface InboundResult {
  /** Packets to write now (acks). */
  send: Packet[];
  /** A message to hand to the application (topic resolved from its alias). */
  message?: PublishPacket;
  /** The broker broke the protocol: close the link with this code. */
  violation?: { reasonCode: ProtocolViolationCode; message: string };
}

export interface SessionOptions {
  protocolVersion: 4 | 5;
  store: InflightStore;
  /** Encoded size of a packet, for the broker's Maximum Packet Size. */
  measure(packet: Packet): number;
  logger: Logger;
  /** The Topic Alias Maximum we announced in CONNECT (incoming aliases). */
  incomingAliasMaximum: number;
  /** Whether to use outgoing topic aliases when the broker allows them. */
  outgoingTopicAliases: boolean;
  /** Subscribe again to granted filters when a new connection has no session. */
  resubscribe: boolean;
  /**
   * An asynchronous store finished a `put`: call `resume()` and write what it returns. (The
   * PUBLISH of a new flow is written only once its entry is stored.)
   */
  onPersisted?: () => void;
}

interface Flow {
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

/** What a map not made yet reads as. Never written: writers make their own map first. */
const NO_ENTRIES: ReadonlyMap<never, never> = new Map<never, never>();

interface Granted {
  subscription: Subscription;
  properties: SubscribeProperties | undefined;
}

export class Session {
  readonly #options: SessionOptions;
  // What an idle client never touches is made on first use (`ids`, the maps below, topic alias
  // tables): a process may hold thousands of idle clients, and each empty Map costs ~150 B.
  #idAllocator: PacketIdAllocator | undefined;
  /** Outbound QoS 1/2 flows by packet id, in send order (a Map keeps insertion order). */
  #flowMap: Map<number, Flow> | undefined;
  /**
   * How many of `flows` are not written on this link. `pump()` walks the flows only when some
   * are, so a full window costs O(1) per ack instead of a scan of everything in flight.
   */
  #unsentFlows = 0;
  /** QoS 1/2 publishes waiting for a link, a window slot or a packet id. */
  readonly #backlog: PublishOp[] = [];
  /** SUBSCRIBE/UNSUBSCRIBE sent on this link, awaiting their ack. */
  #pendingAckMap: Map<number, SubscribeOp | UnsubscribeOp> | undefined;
  /** SUBSCRIBE/UNSUBSCRIBE to send once a link is up. */
  readonly #unsent: Array<SubscribeOp | UnsubscribeOp> = [];
  /** Inbound QoS 2 ids we sent PUBREC for and await PUBREL on: never deliver them twice. */
  #inboundQos2: Set<number> | undefined;
  /** What the broker granted, to restore on a new session. */
  #grantedMap: Map<string, Granted> | undefined;
  #link: LinkParams | undefined;
  /** Asynchronous `put`s of new flows not yet resolved. */
  #storing = 0;
  /** This link's send window, made by the first QoS 1/2 PUBLISH on it. */
  #window: SendWindow | undefined;
  /** The broker's Topic Alias Maximum for us on this link, when we use aliases (else 0). */
  #outAliasMaximum = 0;
  /** This link's alias tables, each made by the first PUBLISH that needs it. */
  #outAliases: OutgoingAliases | undefined;
  #inAliases: IncomingAliases | undefined;

  constructor(options: SessionOptions) {
    this.#options = options;
  }

  get #ids(): PacketIdAllocator {
    this.#idAllocator ??= createPacketIdAllocator();
    return this.#idAllocator;
  }

  get #flows(): ReadonlyMap<number, Flow> {
    return this.#flowMap ?? NO_ENTRIES;
  }

  get #pendingAcks(): ReadonlyMap<number, SubscribeOp | UnsubscribeOp> {
    return this.#pendingAckMap ?? NO_ENTRIES;
  }

  get #granted(): ReadonlyMap<string, Granted> {
    return this.#grantedMap ?? NO_ENTRIES;
  }

  /** Loads flows left in a persistent store by an earlier process; their outcome has no caller. */
  async restore(): Promise<void> {
    const entries = await this.#options.store.entries();
    for (const [packetId, entry] of entries) {
      if (this.#flows.has(packetId)) continue;
      this.#ids.reserve(packetId);
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
      this.#flowMap ??= new Map();
      this.#flowMap.set(packetId, {
        op: { kind: 'publish', packet, deferred: undefined },
        packet,
        stage: entry.kind,
        sent: false,
        slot: false,
        persisted: true,
      });
      this.#unsentFlows++;
    }
  }

  get inflightCount(): number {
    return this.#flows.size;
  }

  get waitingCount(): number {
    return this.#backlog.length + this.#unsent.length;
  }

  /** Outbound PUBLISH. QoS 0 is written at once (or refused); QoS 1/2 go through the window. */
  publish(op: PublishOp): Packet[] {
    if (op.packet.qos === 0) {
      if (!this.#link) {
        // The client only hands QoS 0 over while connected; keep the contract total anyway.
        this.#backlog.push(op);
        return [];
      }
      const tooLarge = this.#checkSize(op.packet);
      if (tooLarge) {
        op.deferred?.reject(tooLarge);
        return [];
      }
      op.deferred?.resolve({ reasonCode: 0 });
      return [this.#wire(op.packet)];
    }
    this.#backlog.push(op);
    return this.#pump();
  }

  /** Removes an operation that was not written yet. Returns false when it was (or is done). */
  cancel(op: Op): boolean {
    const waiting: Op[] = op.kind === 'publish' ? this.#backlog : this.#unsent;
    const index = waiting.indexOf(op);
    if (index >= 0) {
      waiting.splice(index, 1);
      return true;
    }
    // Written: the flow goes on without a caller (the broker may already have the message).
    op.deferred = undefined;
    return false;
  }

  /**
   * A CONNACK accepted the link. Returns, in order: the resubscribes (new session), the flows to
   * resend (session present: PUBLISH with DUP and PUBREL, original ids and order
   * [MQTT-4.4.0-1] [MQTT-4.6.0-1]), then what waited. All of it is written in one tick, so the
   * resend is pipelined rather than one round trip per message.
   */
  connected(params: LinkParams): Packet[] {
    this.#link = params;
    // A new link starts with a fresh window and no alias mappings [MQTT-3.3.2-7].
    this.#window = undefined;
    this.#outAliasMaximum = this.#options.outgoingTopicAliases ? params.topicAliasMaximum : 0;
    this.#outAliases = undefined;
    this.#inAliases = undefined;
    const out: Packet[] = [];
    if (!params.sessionPresent) {
      // A new session: the broker keeps no inbound QoS 2 state, so neither do we.
      this.#inboundQos2 = undefined;
      for (const [packetId, flow] of [...this.#flows]) {
        if (flow.stage === 'pubrel') {
          // The broker took the message (PUBREC) and the session that held it is gone: done.
          this.#finish(packetId, flow, { reasonCode: 0 });
        } else {
          // Not a resend on this session (those are only allowed with a session present,
          // [MQTT-4.4.0-2]): the message is published again as a new one, so none is lost.
          flow.packet = { ...flow.packet, dup: false };
        }
      }
      if (this.#options.resubscribe && this.#granted.size > 0) out.push(...this.#resubscribes());
    } else {
      for (const flow of this.#flows.values()) {
        if (flow.stage === 'publish') flow.packet = { ...flow.packet, dup: true };
      }
    }
    const waiting = this.#unsent.splice(0);
    for (const op of waiting) out.push(...this.sendAckable(op));
    out.push(...this.#pump());
    return out;
  }

  /** The link is gone: nothing is written until `connected`, and nothing in flight is dropped. */
  disconnected(): void {
    this.#link = undefined;
    for (const flow of this.#flows.values()) {
      flow.sent = false;
      flow.slot = false;
    }
    this.#unsentFlows = this.#flows.size;
    // SUBSCRIBE/UNSUBSCRIBE are not part of the session state: send them again on the next link.
    const pending = [...this.#pendingAcks.entries()];
    this.#pendingAckMap = undefined;
    for (const [packetId] of pending) this.#ids.release(packetId);
    this.#unsent.unshift(...pending.map(([, op]) => op));
  }

  /**
   * The client stopped: every caller waiting gets `error(written)`. Flows stay in the store and
   * are finished by the next connection (the broker may already have the message).
   */
  rejectAll(error: (written: boolean) => unknown): void {
    for (const op of this.#backlog.splice(0)) op.deferred?.reject(error(false));
    for (const op of this.#unsent.splice(0)) op.deferred?.reject(error(op.written === true));
    for (const [packetId, op] of [...this.#pendingAcks]) {
      this.#ids.release(packetId);
      op.deferred?.reject(error(true));
    }
    this.#pendingAckMap = undefined;
    for (const flow of this.#flows.values()) {
      flow.op.deferred?.reject(error(true));
      flow.op.deferred = undefined;
    }
  }

  /** Forget the subscriptions to restore (after a local `end()`). */
  forgetSubscriptions(): void {
    this.#grantedMap = undefined;
  }

  /** A packet from the broker (already checked by the codec and `checkInbound`). */
  receive(packet: Packet): InboundResult {
    switch (packet.cmd) {
      case 'publish':
        return this.#receivePublish(packet);
      case 'pubrel': {
        // Spec 4.3.3: every PUBREL is answered with PUBCOMP; under 5.0 say when we had no such flow.
        const known = this.#inboundQos2?.delete(packet.packetId) === true;
        const pubcomp: Packet =
          this.#options.protocolVersion === 5 && !known
            ? { cmd: 'pubcomp', packetId: packet.packetId, reasonCode: 0x92 }
            : { cmd: 'pubcomp', packetId: packet.packetId };
        return { send: [pubcomp] };
      }
      case 'puback':
      case 'pubcomp':
        return this.#receiveFinalAck(
          packet.cmd,
          packet.packetId,
          packet.reasonCode ?? 0,
          packet.properties,
        );
      case 'pubrec':
        return this.#receivePubrec(packet.packetId, packet.reasonCode ?? 0, packet.properties);
      case 'suback':
      case 'unsuback':
        return this.#receiveSubAck(
          packet.cmd,
          packet.packetId,
          packet.reasonCodes,
          packet.properties,
        );
      default:
        return { send: [] };
    }
  }

  #receivePublish(packet: PublishPacket): InboundResult {
    let message = packet;
    if (this.#options.protocolVersion === 5) {
      this.#inAliases ??= createIncomingAliases(this.#options.incomingAliasMaximum);
      const resolved = this.#inAliases.resolve(packet.topic, packet.properties?.topicAlias);
      if ('error' in resolved) {
        // 0x94 Topic Alias invalid, or 0x82 for an alias never bound on this connection.
        return { send: [], violation: { reasonCode: resolved.error, message: resolved.message } };
      }
      if (resolved.topic !== packet.topic) message = { ...packet, topic: resolved.topic };
    }
    if (packet.qos === 0) return { send: [], message };
    const packetId = packet.packetId as number;
    if (packet.qos === 1) return { send: [{ cmd: 'puback', packetId }], message };
    const pubrec: Packet = { cmd: 'pubrec', packetId };
    // QoS 2: deliver once; a resent PUBLISH of a flow awaiting PUBREL only gets its PUBREC again
    // (method B of spec 4.3.3: the id is kept until PUBREL).
    this.#inboundQos2 ??= new Set();
    if (this.#inboundQos2.has(packetId)) return { send: [pubrec] };
    this.#inboundQos2.add(packetId);
    return { send: [pubrec], message };
  }

  #receivePubrec(packetId: number, reasonCode: number, properties?: AckProperties): InboundResult {
    const flow = this.#flows.get(packetId);
    if (flow?.packet.qos !== 2 || !flow.sent) {
      // Under 5.0 tell the broker we have no such flow; under 3.1.1 a PUBREL ends it anyway.
      const pubrel: Packet =
        this.#options.protocolVersion === 5
          ? { cmd: 'pubrel', packetId, reasonCode: 0x92 }
          : { cmd: 'pubrel', packetId };
      return { send: flow ? [] : [pubrel] };
    }
    if (reasonCode >= 0x80) {
      // A failure PUBREC ends the flow: PUBREL only follows a code below 0x80 (MQTT 5 spec 4.3.3).
      this.#finish(packetId, flow, ackResult(packetId, reasonCode, properties));
      return { send: this.#pump() };
    }
    if (flow.stage === 'publish') {
      flow.stage = 'pubrel';
      const stored = this.#options.store.put(packetId, { kind: 'pubrel', packetId });
      if (stored instanceof Promise) {
        // Once PUBREL is sent the PUBLISH must never be resent (spec 4.3.3): a process that dies
        // before the store says `pubrel` would resend the PUBLISH on restart, and the broker,
        // done with that id, would deliver the message twice. So PUBREL waits for the store,
        // and `pump()` sends it (in flow order, so PUBRELs keep PUBREC order [MQTT-4.6.0-3]).
        flow.sent = false;
        this.#unsentFlows++;
        flow.persisted = false;
        this.#track(stored, flow, packetId);
        return { send: [] };
      }
    } else if (!flow.persisted) {
      return { send: [] }; // a repeated PUBREC while the first is being stored
    }
    return { send: [{ cmd: 'pubrel', packetId }] };
  }

  /**
   * The ack that ends a flow: PUBACK (QoS 1) or PUBCOMP (QoS 2, after PUBREL). A PUBCOMP code
   * (0x92) is reported, not refused: the message was accepted at PUBREC.
   */
  #receiveFinalAck(
    cmd: 'puback' | 'pubcomp',
    packetId: number,
    reasonCode: number,
    properties?: AckProperties,
  ): InboundResult {
    const flow = this.#flows.get(packetId);
    const qos = cmd === 'puback' ? 1 : 2;
    if (
      flow?.stage !== (qos === 1 ? 'publish' : 'pubrel') ||
      flow.packet.qos !== qos ||
      !flow.sent
    ) {
      this.#options.logger.debug(
        { packetId },
        `${cmd.toUpperCase()} for no QoS ${qos} flow; ignored`,
      );
      return { send: [] };
    }
    this.#finish(packetId, flow, ackResult(packetId, reasonCode, properties));
    return { send: this.#pump() };
  }

  #receiveSubAck(
    cmd: 'suback' | 'unsuback',
    packetId: number,
    reasonCodes: number[],
    properties?: AckProperties,
  ): InboundResult {
    const op = this.#pendingAcks.get(packetId);
    if (!op || (cmd === 'suback') !== (op.kind === 'subscribe')) {
      this.#options.logger.debug({ packetId, cmd }, 'ack for no pending operation; ignored');
      return { send: [] };
    }
    this.#pendingAckMap?.delete(packetId);
    this.#ids.release(packetId);
    if (op.kind === 'subscribe') {
      if (reasonCodes.length !== op.subscriptions.length) {
        return codeCountMismatch(cmd, reasonCodes.length, op.subscriptions.length);
      }
      const results = op.subscriptions.map((sub, i): SubscribeResult => {
        const code = reasonCodes[i] as number;
        if (code < 0x80) {
          this.#grantedMap ??= new Map();
          this.#grantedMap.set(sub.topicFilter, { subscription: sub, properties: op.properties });
          return { topicFilter: sub.topicFilter, reasonCode: code, qos: code as QoS };
        }
        return { topicFilter: sub.topicFilter, reasonCode: code };
      });
      if (op.internal) {
        const refused = results.filter((r) => r.reasonCode >= 0x80);
        if (refused.length > 0) this.#options.logger.warn({ refused }, 'resubscribe refused');
      }
      op.deferred?.resolve(withAck({ results }, properties));
      return { send: [] };
    }
    if (this.#options.protocolVersion === 5 && reasonCodes.length !== op.topicFilters.length) {
      return codeCountMismatch(cmd, reasonCodes.length, op.topicFilters.length);
    }
    const results = op.topicFilters.map((topicFilter, i): UnsubscribeResult => {
      const reasonCode = reasonCodes[i] ?? 0;
      if (reasonCode < 0x80) this.#grantedMap?.delete(topicFilter);
      return { topicFilter, reasonCode };
    });
    op.deferred?.resolve(withAck({ results }, properties));
    return { send: [] };
  }

  /** Outbound SUBSCRIBE or UNSUBSCRIBE: written now, or once a link (and a packet id) is free. */
  sendAckable(op: SubscribeOp | UnsubscribeOp): Packet[] {
    if (!this.#link) {
      this.#unsent.push(op);
      return [];
    }
    const packetId = this.#ids.allocate();
    if (packetId === undefined) {
      // All 65535 ids are in flight: wait for one to free (`pump` retries the queue).
      this.#unsent.push(op);
      return [];
    }
    const packet: Packet =
      op.kind === 'subscribe'
        ? withProps({ cmd: 'subscribe', packetId, subscriptions: op.subscriptions }, op.properties)
        : withProps({ cmd: 'unsubscribe', packetId, topicFilters: op.topicFilters }, op.properties);
    const tooLarge = this.#checkSize(packet);
    if (tooLarge) {
      this.#ids.release(packetId);
      op.deferred?.reject(tooLarge);
      return [];
    }
    this.#pendingAckMap ??= new Map();
    this.#pendingAckMap.set(packetId, op);
    op.written = true;
    return [packet];
  }

  /** What can be written now (after an asynchronous store caught up). */
  resume(): Packet[] {
    return this.#pump();
  }

  /** Fills the send window: unsent flows first (in order), then the backlog. */
  #pump(): Packet[] {
    const out: Packet[] = [];
    const link = this.#link;
    if (!link) return out;
    // Flows leave in order: one still being stored holds back those after it (new flows are
    // still created and stored meanwhile, so an asynchronous store works in parallel).
    let blocked = false;
    for (const flow of this.#unsentFlows > 0 ? this.#flows.values() : []) {
      if (flow.sent) continue;
      if (!flow.persisted) {
        blocked = true;
        break;
      }
      if (!flow.slot) {
        if (!this.#takeSlot(link)) return out;
        flow.slot = true;
      }
      flow.sent = true;
      this.#unsentFlows--;
      const packetId = flow.packet.packetId as number;
      out.push(flow.stage === 'pubrel' ? { cmd: 'pubrel', packetId } : this.#wire(flow.packet));
    }
    while (this.#backlog.length > 0) {
      const op = this.#backlog[0] as PublishOp;
      if (op.packet.qos === 0) {
        this.#backlog.shift();
        out.push(...this.publish(op));
        continue;
      }
      const tooLarge = this.#checkSize(op.packet);
      if (tooLarge) {
        this.#backlog.shift();
        op.deferred?.reject(tooLarge);
        continue;
      }
      if (!this.#takeSlot(link)) break;
      const packetId = this.#ids.allocate();
      if (packetId === undefined) {
        this.#window?.release();
        break;
      }
      this.#backlog.shift();
      const packet = withPacketId(op.packet, packetId);
      const flow: Flow = {
        op,
        packet,
        stage: 'publish',
        sent: false,
        slot: true,
        persisted: false,
      };
      this.#flowMap ??= new Map();
      this.#flowMap.set(packetId, flow);
      this.#unsentFlows++;
      const stored = this.#options.store.put(packetId, { kind: 'publish', packet });
      if (stored instanceof Promise) {
        // Written once stored, so a restarted process can always finish what the broker got.
        this.#track(stored, flow, packetId);
        continue;
      }
      flow.persisted = true;
      if (blocked || this.#storing > 0) continue; // an earlier flow is still being stored
      flow.sent = true;
      this.#unsentFlows--;
      out.push(this.#wire(packet));
    }
    if (this.#unsent.length > 0 && (this.#idAllocator?.inUse ?? 0) < 65_535) {
      for (const op of this.#unsent.splice(0)) out.push(...this.sendAckable(op));
    }
    return out;
  }

  /** A slot of this link's send window for a QoS 1/2 PUBLISH. */
  #takeSlot(link: LinkParams): boolean {
    this.#window ??= createSendWindow(link.receiveMaximum);
    return this.#window.tryAcquire();
  }

  #finish(packetId: number, flow: Flow, result: PublishResult): void {
    this.#flowMap?.delete(packetId);
    if (!flow.sent) this.#unsentFlows--;
    this.#ids.release(packetId);
    if (flow.slot) this.#window?.release();
    this.#settle(this.#options.store.delete(packetId));
    const deferred = flow.op.deferred;
    flow.op.deferred = undefined;
    if (!deferred) return;
    if (result.reasonCode >= 0x80 && flow.stage === 'publish') {
      deferred.reject(new PublishRefusedError(packetId, result.reasonCode, result.reasonString));
    } else {
      deferred.resolve(result);
    }
  }

  /** The packet as it goes on this link: with an outgoing topic alias when one applies. */
  #wire(packet: PublishPacket): PublishPacket {
    if (this.#options.protocolVersion !== 5) return packet;
    if (this.#outAliasMaximum === 0) return packet;
    this.#outAliases ??= createOutgoingAliases(this.#outAliasMaximum);
    const applied = this.#outAliases.apply(packet.topic);
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

  #checkSize(packet: Packet): PacketTooLargeForBrokerError | undefined {
    const max = this.#link?.maximumPacketSize;
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

  #resubscribes(): Packet[] {
    // One SUBSCRIBE per distinct set of properties (a Subscription Identifier is per packet).
    const groups = new Map<
      string,
      { properties: SubscribeProperties | undefined; subs: Subscription[] }
    >();
    for (const { subscription, properties } of this.#granted.values()) {
      const key = JSON.stringify(properties ?? null);
      const group = groups.get(key) ?? { properties, subs: [] };
      group.subs.push(subscription);
      groups.set(key, group);
    }
    const out: Packet[] = [];
    for (const group of groups.values()) {
      out.push(
        ...this.sendAckable({
          kind: 'subscribe',
          subscriptions: group.subs,
          properties: group.properties,
          deferred: undefined,
          internal: true,
        }),
      );
    }
    return out;
  }

  /** An asynchronous `put` for `flow`: the flow is written by `pump()` once it resolved. */
  #track(stored: Promise<void>, flow: Flow, packetId: number): void {
    this.#storing++;
    const done = (): void => {
      this.#storing--;
      flow.persisted = true;
      this.#options.onPersisted?.();
    };
    stored.then(done, (error: unknown) => {
      this.#options.logger.error({ err: error, packetId }, 'in-flight store failed');
      done();
    });
  }

  #settle(result: void | Promise<void>): void {
    if (result instanceof Promise) {
      result.catch((error: unknown) =>
        this.#options.logger.error({ err: error }, 'in-flight store failed'),
      );
    }
  }
}

/** SUBACK (3.9.3) and UNSUBACK (3.11.3) carry one code per filter, in order. */
function codeCountMismatch(cmd: string, codes: number, filters: number): InboundResult {
  const message = `${cmd.toUpperCase()} has ${codes} codes for ${filters} filters`;
  return { send: [], violation: { reasonCode: 0x82, message } };
}

function ackResult(
  packetId: number,
  reasonCode: number,
  properties?: AckProperties,
): PublishResult {
  return withAck({ packetId, reasonCode }, properties);
}

/** `target` with the ack's Reason String and properties, when it has them. */
export function withAck<T extends object>(
  target: T,
  properties: AckProperties | undefined,
): T & AckInfo {
  const out: T & AckInfo = target;
  if (properties?.reasonString !== undefined) out.reasonString = properties.reasonString;
  if (properties !== undefined) out.properties = properties;
  return out;
}

function withProps<P extends Packet & { properties?: unknown }>(
  packet: P,
  properties: P['properties'] | undefined,
): P {
  return properties === undefined ? packet : { ...packet, properties };
}

/** `{ ...packet, packetId, dup: false }`, as a literal: spread is slow on the publish path. */
function withPacketId(packet: PublishPacket, packetId: number): PublishPacket {
  const out: PublishPacket = {
    cmd: 'publish',
    topic: packet.topic,
    payload: packet.payload,
    qos: packet.qos,
    retain: packet.retain,
    dup: false,
    packetId,
  };
  if (packet.properties !== undefined) out.properties = packet.properties;
  return out;
}
