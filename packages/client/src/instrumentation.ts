/**
 * The instrumentation hook: what a tracer or a metrics library (`@mqttkit/otel`) sees of the
 * client, without the client depending on one. Two seams carry everything a message's path
 * needs: an outgoing publish (before its checks, so the hook may add user properties or rewrite
 * the payload: trace context injection) until its flow settles, and an incoming message around
 * its delivery to `message` listeners and `messages()` loops (extraction, a span around the
 * processing). The rest (state changes, closes with their reason, reconnects, keepalive round
 * trip, in-flight and queued operations) is already public: the client's events and `stats()`.
 *
 * With no hook installed the client checks one field per publish and per emitted event.
 */
import type { PublishResult } from './session.js';
import type { Message, PublishOptions } from './types.js';

/** An outgoing publish as the caller asked for it; the hook may change it before it is checked. */
export interface OutgoingPublish {
  /** The topic (`respond()` sets it to the request's Response Topic). */
  topic: string;
  /** The payload; a hook may replace it (the JSON trace carrier of MQTT 3.1.1). */
  payload: string | Uint8Array;
  /** The caller's options; a hook may replace `properties` (user properties under MQTT 5). */
  options: PublishOptions;
  /** The version the publish is checked against (the link's, or the options'). */
  readonly protocolVersion: 4 | 5;
}

/**
 * How an outgoing publish ended: `completed` with the broker's result (QoS 1/2: PUBACK/PUBCOMP;
 * QoS 0: written), or `failed` with the error its promise rejected with (`PublishRefusedError`
 * for a failure reason code, `ConnectionClosedError` when the client stopped with it in flight,
 * `OperationAbortedError`, `QueueFullError`, `NotConnectedError`, a check's error...).
 */
export type PublishOutcome =
  | { readonly type: 'completed'; readonly result: PublishResult }
  | { readonly type: 'failed'; readonly error: unknown };

/** Told how one publish ends (exactly once). */
export interface PublishObserver {
  /** The publish's promise settled: `outcome` says how. */
  settled(outcome: PublishOutcome): void;
}

/** Wraps one message's delivery. */
export interface DeliveryObserver {
  /** Runs the `message` listeners (synchronously); a tracer makes its span current around them. */
  run<T>(deliver: () => T): T;
  /**
   * Every listener is done: the synchronous ones returned, the promises they returned (a
   * `messages()` loop's: until the loop moves past the message) settled. `errors` holds what
   * the listeners threw or their promises rejected with.
   */
  settled(errors: readonly unknown[]): void;
}

/** What `client.instrument()` takes; every member is optional. */
export interface ClientInstrumentation {
  /** A publish starts: change it (inject) and return an observer of its end, or nothing. */
  publish?(publish: OutgoingPublish): PublishObserver | undefined;
  /** A message is about to be delivered: return an observer of its delivery, or nothing. */
  deliver?(message: Message): DeliveryObserver | undefined;
}

/** Runs `publish` through the hook: changed by it first, its end reported to the observer. */
export function publishObserved<T extends PublishResult>(
  hook: NonNullable<ClientInstrumentation['publish']>,
  outgoing: OutgoingPublish,
  publish: (topic: string, payload: string | Uint8Array, options: PublishOptions) => Promise<T>,
): Promise<T> {
  const observer = hook(outgoing);
  const promise = publish(outgoing.topic, outgoing.payload, outgoing.options);
  if (observer !== undefined) {
    // A derived promise: the caller's own promise, and whether its rejection is handled, stay
    // exactly what they were without the hook.
    promise.then(
      (result) => observer.settled({ type: 'completed', result }),
      (error: unknown) => observer.settled({ type: 'failed', error }),
    );
  }
  return promise;
}

/**
 * Delivers through the hook. `emit` calls the listeners and returns what they returned;
 * `thrown` is filled by the emitter with what listeners threw while `emit` ran.
 */
export function deliverObserved(
  observer: DeliveryObserver,
  emit: () => unknown[] | undefined,
  thrown: unknown[],
): unknown[] | undefined {
  const results = observer.run(emit);
  const waits: PromiseLike<unknown>[] = [];
  for (const r of results ?? []) {
    if (typeof r === 'object' && r !== null && typeof (r as { then?: unknown }).then === 'function')
      waits.push(r as PromiseLike<unknown>);
  }
  if (waits.length === 0) {
    observer.settled(thrown);
    return results;
  }
  Promise.allSettled(waits).then((outcomes) => {
    const errors = [...thrown];
    for (const o of outcomes) if (o.status === 'rejected') errors.push(o.reason);
    observer.settled(errors);
  });
  return results;
}
