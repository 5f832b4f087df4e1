/**
 * The callers' operations until the session takes them: submitting (send now, queue while a
 * connection is on its way, or refuse, as `outbound(state)` says), the offline queue, aborts,
 * QoS 0 backpressure through the outbox, and failing everything pending when the client stops.
 * MQTT 5 request/response waiters are pending operations too, so they live here.
 */

import type { Packet } from '@mqttkit/codec/client';
import { type CloseReason, outbound } from '@mqttkit/state';
import { abortable } from './abortable.js';
import { checkEncodable, checkV5 } from './arguments.js';
import {
  ConnectionClosedError,
  InvalidArgumentError,
  NotConnectedError,
  OperationAbortedError,
  QueueFullError,
} from './errors.js';
import { type AbortSignalLike, queueMicrotask } from './globals.js';
import { createOfflineQueue, type OfflineQueue } from './offline-queue.js';
import type { ResolvedOptions } from './options.js';
import type { Outbox } from './outbox.js';
import { Requests } from './requests.js';
import type { Runner } from './runner.js';
import {
  type AckInfo,
  type Deferred,
  type Op,
  type Session,
  type SubscribeOp,
  type UnsubscribeOp,
  withAck,
} from './session.js';
import type { SubscribeOptions, UnsubscribeOptions } from './types.js';

export class Operations {
  readonly #opts: ResolvedOptions;
  readonly #runner: Runner;
  readonly #session: Session;
  readonly #outbox: Outbox;
  /** Made by the first operation queued while offline (most clients never queue one). */
  #queue: OfflineQueue<Op> | undefined;
  /** `overflow: 'wait'`: operations waiting for room in the full queue, in order. */
  #waiting: Op[] | undefined;
  /** Made by the first `request()`. */
  #requests: Requests | undefined;

  /** Told when an operation that awaits the broker's answer is written (inbound flow control). */
  readonly #onAwaiting: (() => void) | undefined;

  constructor(
    opts: ResolvedOptions,
    runner: Runner,
    session: Session,
    outbox: Outbox,
    onAwaiting?: () => void,
  ) {
    this.#opts = opts;
    this.#runner = runner;
    this.#session = session;
    this.#outbox = outbox;
    this.#onAwaiting = onAwaiting;
  }

  /** Operations waiting in the offline queue, or for room in it. */
  get queued(): number {
    return (this.#queue?.length ?? 0) + (this.#waiting?.length ?? 0);
  }

  get requests(): Requests {
    this.#requests ??= new Requests(this.#opts.random);
    return this.#requests;
  }

  submit<T>(op: Op, signal: AbortSignalLike | undefined): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (signal?.aborted) {
        reject(new OperationAbortedError(false, signal.reason));
        return;
      }
      const onAbort = (): void => {
        const queued = this.#queue?.remove(op) === true;
        if (queued) this.#admitWaiting();
        const removed = queued || this.#stopWaiting(op) || this.#session.cancel(op);
        const deferred = op.deferred;
        op.deferred = undefined;
        deferred?.reject(new OperationAbortedError(!removed, signal?.reason));
      };
      (op as { deferred: Deferred<T> | undefined }).deferred = abortable(
        signal,
        onAbort,
        resolve,
        reject,
      );
      const decision = outbound(this.#runner.state);
      if (decision.action === 'send') {
        this.#send(op);
        return;
      }
      const queueOptions = this.#opts.queue;
      if (decision.action === 'reject' || queueOptions === false) {
        op.deferred?.reject(
          new NotConnectedError(decision.action === 'reject' ? decision.why : 'offline'),
        );
        return;
      }
      this.#queue ??= createOfflineQueue<Op>(queueOptions, queuedBytes);
      const wait = queueOptions.overflow === 'wait' && this.#queue.fits(op);
      // Behind those already waiting: operations leave in the order they were made.
      const pushed =
        wait && this.#waiting?.length ? { accepted: false as const } : this.#queue.push(op);
      if (!pushed.accepted) {
        if (!wait) op.deferred?.reject(new QueueFullError(false));
        else if (this.#waiting) this.#waiting.push(op);
        else this.#waiting = [op];
        return;
      }
      for (const dropped of pushed.dropped ?? [])
        dropped.deferred?.reject(new QueueFullError(true));
    });
  }

  /** SUBSCRIBE or UNSUBSCRIBE, once its filters are checked: one result per filter. */
  async ackable<R extends object>(
    cmd: 'subscribe' | 'unsubscribe',
    fields: Pick<SubscribeOp, 'subscriptions'> | Pick<UnsubscribeOp, 'topicFilters'>,
    { properties, signal }: SubscribeOptions | UnsubscribeOptions,
  ): Promise<Array<R & AckInfo>> {
    const filters = 'subscriptions' in fields ? fields.subscriptions : fields.topicFilters;
    if (filters.length === 0) throw new InvalidArgumentError(`${cmd} needs at least one filter`);
    const protocolVersion = this.#session.protocolVersion;
    checkV5(`${cmd} properties`, properties, protocolVersion);
    checkEncodable(
      { cmd, packetId: 1, ...fields, ...(properties ? { properties } : {}) } as Packet,
      protocolVersion,
    );
    const out = await this.submit<{ results: R[] } & AckInfo>(
      // `internal` is read of SUBSCRIBEs only: a caller's is never an internal resubscribe.
      { kind: cmd, ...fields, properties, deferred: undefined, internal: false } as Op,
      signal,
    );
    return out.results.map((r) => withAck({ ...r }, out.properties));
  }

  /** Connected: send what was queued while offline, in order, then what waited for room. */
  flushQueued(): void {
    for (const op of this.#queue?.drain() ?? []) this.#send(op);
    const waiting = this.#waiting;
    this.#waiting = undefined;
    for (const op of waiting ?? []) this.#send(op);
  }

  /** The client stopped: every caller waiting gets a `ConnectionClosedError`. */
  rejectPending(reason: CloseReason): void {
    this.#session.rejectAll((written) => new ConnectionClosedError(reason, written));
    const waiting = this.#waiting ?? [];
    this.#waiting = undefined;
    for (const op of [...(this.#queue?.drain() ?? []), ...waiting]) {
      op.deferred?.reject(new ConnectionClosedError(reason, false));
    }
    this.#requests?.rejectAll(new ConnectionClosedError(reason, true));
  }

  /** Room was made in the queue: the operations waiting for it move in, oldest first. */
  #admitWaiting(): void {
    const waiting = this.#waiting;
    const queue = this.#queue;
    if (!waiting || !queue) return;
    while (waiting.length > 0 && queue.push(waiting[0] as Op).accepted) waiting.shift();
  }

  /** Removes a waiting operation (aborted); false when it was not waiting. */
  #stopWaiting(op: Op): boolean {
    const at = this.#waiting?.indexOf(op) ?? -1;
    if (at < 0) return false;
    this.#waiting?.splice(at, 1);
    return true;
  }

  #send(op: Op): void {
    if (op.kind === 'publish' && op.packet.qos === 0 && op.deferred) {
      // The session resolves a QoS 0 publish as it hands it over; hold that until the bytes are
      // accepted below the high-water mark, so a fast producer feels the transport's backpressure.
      const deferred = op.deferred;
      const outbox = this.#outbox;
      op.deferred = {
        resolve: (value) => queueMicrotask(() => outbox.settleWhenWritable(deferred, value)),
        reject: deferred.reject,
      };
    }
    this.#outbox.write(
      op.kind === 'publish' ? this.#session.publish(op) : this.#session.sendAckable(op),
    );
    if (op.kind !== 'publish' || op.packet.qos > 0) this.#onAwaiting?.();
  }
}

/** What an operation weighs against the queue's byte bound: a publish's payload. */
function queuedBytes(op: Op): number {
  return op.kind === 'publish' ? op.packet.payload.length : 0;
}
