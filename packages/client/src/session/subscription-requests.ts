/**
 * SUBSCRIBE and UNSUBSCRIBE: written once a link and a packet id are free, matched with their
 * SUBACK or UNSUBACK, and sent again on the next link when the link ends first (they are not part
 * of the session state). Grants and accepted unsubscribes go to the subscriptions to restore.
 */
import type { Packet, QoS } from '@mqttkit/codec';
import { MAX_PACKET_ID } from '../packet-ids.js';
import { NO_ENTRIES, type SessionContext } from './context.js';
import type { GrantedSubscriptions } from './granted.js';
import { rejectCaller, rejectCallerWith, resolveCaller, withAck } from './settle.js';
import type {
  AckableOp,
  InboundResult,
  SubscribeOp,
  SubscribeResult,
  UnsubscribeResult,
} from './types.js';
import { removeWaiting } from './waiting-list.js';

export class SubscriptionRequests {
  readonly #context: SessionContext;
  readonly #granted: GrantedSubscriptions;
  /** Sent on this link, awaiting their ack, by packet id. */
  #pendingMap: Map<number, AckableOp> | undefined;
  /** To send once a link (and a packet id) is free. */
  readonly #unsent: AckableOp[] = [];
  /**
   * The resubscribes of the latest new session not answered yet, and the results so far: they
   * are reported together once all are in.
   */
  #restoring: { readonly ops: Set<SubscribeOp>; readonly results: SubscribeResult[] } | undefined;

  constructor(context: SessionContext, granted: GrantedSubscriptions) {
    this.#context = context;
    this.#granted = granted;
  }

  get #pending(): ReadonlyMap<number, AckableOp> {
    return this.#pendingMap ?? NO_ENTRIES;
  }

  /** SUBSCRIBE/UNSUBSCRIBE written and awaiting their ack. */
  get pendingCount(): number {
    return this.#pending.size;
  }

  /** How many wait for a link or a packet id. */
  get waitingCount(): number {
    return this.#unsent.length;
  }

  /** Removes `op` if it was not written on this link; false when it was (or is done). */
  cancel(op: AckableOp): boolean {
    return removeWaiting(this.#unsent, op);
  }

  /** Writes `op` into `out` now, or keeps it until a link (and a packet id) is free. */
  sendAckable(op: AckableOp, out: Packet[]): void {
    const link = this.#context.link;
    // It waits without a link, or while all 65535 ids are in flight (`resume` sends it then).
    const packetId = link === undefined ? undefined : this.#context.ids.allocate();
    if (link === undefined || packetId === undefined) {
      this.#unsent.push(op);
      return;
    }
    const packet: Packet =
      op.kind === 'subscribe'
        ? withProps({ cmd: 'subscribe', packetId, subscriptions: op.subscriptions }, op.properties)
        : withProps({ cmd: 'unsubscribe', packetId, topicFilters: op.topicFilters }, op.properties);
    const tooLarge = link.checkSize(packet);
    if (tooLarge) {
      this.#context.ids.release(packetId);
      rejectCaller(op, tooLarge);
      return;
    }
    this.#pendingMap ??= new Map();
    this.#pendingMap.set(packetId, op);
    op.written = true;
    out.push(packet);
  }

  /** A new session: sends the SUBSCRIBEs that restore the grants, reported as one outcome. */
  restore(ops: SubscribeOp[], out: Packet[]): void {
    if (ops.length === 0) return;
    this.#restoring = { ops: new Set(ops), results: [] };
    for (const op of ops) this.sendAckable(op, out);
  }

  /** A link came up: what waited is sent. */
  connected(out: Packet[]): void {
    for (const op of this.#unsent.splice(0)) this.sendAckable(op, out);
  }

  /** Sends what waited for a packet id, when one is free. */
  resume(out: Packet[]): void {
    if (this.#unsent.length > 0 && this.#context.ids.inUse < MAX_PACKET_ID) this.connected(out);
  }

  /** The link ended: what awaited an ack is sent again, first, on the next link. */
  disconnected(): void {
    const pending = [...this.#pending.entries()];
    this.#pendingMap = undefined;
    for (const [packetId] of pending) this.#context.ids.release(packetId);
    this.#unsent.unshift(...pending.map(([, op]) => op));
  }

  /** The client stopped: every caller gets `error(written)`. */
  rejectAll(error: (written: boolean) => unknown): void {
    for (const op of this.#unsent.splice(0)) rejectCallerWith(op, error, op.written === true);
    for (const [packetId, op] of [...this.#pending]) {
      this.#context.ids.release(packetId);
      rejectCallerWith(op, error, true);
    }
    this.#pendingMap = undefined;
  }

  receive(packet: Extract<Packet, { cmd: 'suback' | 'unsuback' }>): InboundResult {
    const { cmd, packetId, reasonCodes, properties } = packet;
    const op = this.#pending.get(packetId);
    const logger = this.#context.options.logger;
    if (!op || (cmd === 'suback') !== (op.kind === 'subscribe')) {
      // No statement makes an unknown Packet Identifier a protocol error (MQTT 5 even names the
      // case: 0x91/0x92), and the ack may be a late duplicate: ignored, and reported.
      const name = cmd.toUpperCase();
      logger.debug({ packetId, cmd }, 'ack for no pending operation; ignored');
      this.#context.options.onAnomaly?.({
        kind: 'unsolicited-ack',
        packet: name,
        packetId,
        message: `${name} for packet id ${packetId}, which no pending ${cmd === 'suback' ? 'SUBSCRIBE' : 'UNSUBSCRIBE'} uses; ignored`,
      });
      return { send: [] };
    }
    this.#pendingMap?.delete(packetId);
    this.#context.ids.release(packetId);
    if (op.kind === 'subscribe') {
      if (reasonCodes.length !== op.subscriptions.length) {
        return codeCountMismatch(cmd, reasonCodes.length, op.subscriptions.length);
      }
      const results = op.subscriptions.map((sub, i): SubscribeResult => {
        const code = reasonCodes[i] as number;
        if (code < 0x80) {
          this.#granted.record(sub, op.properties);
          return { topicFilter: sub.topicFilter, reasonCode: code, qos: code as QoS };
        }
        return { topicFilter: sub.topicFilter, reasonCode: code };
      });
      if (op.internal) this.#resubscribed(op, results);
      resolveCaller(op, withAck({ results }, properties));
      return { send: [] };
    }
    if (this.#context.protocolVersion === 5 && reasonCodes.length !== op.topicFilters.length) {
      return codeCountMismatch(cmd, reasonCodes.length, op.topicFilters.length);
    }
    const results = op.topicFilters.map((topicFilter, i): UnsubscribeResult => {
      const reasonCode = reasonCodes[i] ?? 0;
      if (reasonCode < 0x80) this.#granted.forget(topicFilter);
      return { topicFilter, reasonCode };
    });
    resolveCaller(op, withAck({ results }, properties));
    return { send: [] };
  }

  /**
   * A resubscribe's results. A refused filter is dropped from what is restored: sending it again
   * on every new session would only be refused again; the application hears of it (`resubscribe`
   * event) and may subscribe anew.
   */
  #resubscribed(op: SubscribeOp, results: SubscribeResult[]): void {
    const refused = results.filter((r) => r.reasonCode >= 0x80);
    for (const r of refused) this.#granted.forget(r.topicFilter);
    if (refused.length > 0) this.#context.options.logger.warn({ refused }, 'resubscribe refused');
    const restoring = this.#restoring;
    // A resubscribe of an earlier session, answered late: its refusals count, not its outcome.
    if (!restoring?.ops.delete(op)) return;
    restoring.results.push(...results);
    if (restoring.ops.size > 0) return;
    this.#restoring = undefined;
    this.#context.options.onResubscribed?.(restoring.results);
  }
}

/** SUBACK (3.9.3) and UNSUBACK (3.11.3) carry one code per filter, in order. */
function codeCountMismatch(cmd: string, codes: number, filters: number): InboundResult {
  const message = `${cmd.toUpperCase()} has ${codes} codes for ${filters} filters`;
  return { send: [], violation: { reasonCode: 0x82, message } };
}

function withProps<P extends Packet & { properties?: unknown }>(
  packet: P,
  properties: P['properties'] | undefined,
): P {
  return properties === undefined ? packet : { ...packet, properties };
}
