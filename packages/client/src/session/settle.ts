/**
 * The one place where a caller's promise is settled. The other parts of the session decide an
 * outcome and hand it here; nothing else calls `resolve` or `reject` on an operation's
 * `deferred`. Settling also drops the `deferred`, so an operation is settled at most once however
 * its flow goes on (a written operation may outlive its caller, see `detachCaller`).
 */
import type { AckProperties } from '@mqttkit/codec';
import { PublishRefusedError } from '../errors.js';
import type { AckInfo, Deferred, Op, PublishOp, PublishResult } from './types.js';

/** Anything that may carry a caller's promise. */
interface HasCaller<T> {
  deferred: Deferred<T> | undefined;
}

export function resolveCaller<T>(op: HasCaller<T>, value: T): void {
  const deferred = op.deferred;
  if (deferred === undefined) return;
  op.deferred = undefined;
  deferred.resolve(value);
}

export function rejectCaller<T>(op: HasCaller<T>, error: unknown): void {
  const deferred = op.deferred;
  if (deferred === undefined) return;
  op.deferred = undefined;
  deferred.reject(error);
}

/**
 * Rejects with `error(written)`, made only when there is a caller: the client's errors capture a
 * stack, and most operations settled at a close (resubscribes, restored flows) have none.
 */
export function rejectCallerWith<T>(
  op: HasCaller<T>,
  error: (written: boolean) => unknown,
  written: boolean,
): void {
  if (op.deferred !== undefined) rejectCaller(op, error(written));
}

/** The operation goes on (it was written, the broker may act on it) without anyone waiting. */
export function detachCaller(op: Op): void {
  op.deferred = undefined;
}

/** A QoS 0 PUBLISH was handed over for writing: that is all QoS 0 promises. */
export function resolveHandedOver(op: PublishOp): void {
  if (op.deferred !== undefined) resolveCaller(op, { reasonCode: 0 });
}

/**
 * A QoS 1/2 flow ended. A failure code on PUBACK or PUBREC (stage `publish`) refuses the
 * message; a PUBCOMP code (stage `pubrel`, 0x92) is reported, not refused: the message was
 * accepted at PUBREC.
 */
export function settlePublish(
  op: PublishOp,
  packetId: number,
  stage: 'publish' | 'pubrel',
  result: PublishResult,
): void {
  if (result.reasonCode >= 0x80 && stage === 'publish') {
    rejectCaller(op, new PublishRefusedError(packetId, result.reasonCode, result.reasonString));
  } else {
    resolveCaller(op, result);
  }
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
