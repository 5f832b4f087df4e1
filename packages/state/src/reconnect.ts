/**
 * Which closes lead to an automatic reconnect. Transient causes (the network, a busy or moving
 * broker) reconnect; permanent ones (the user ended it, the broker refused our credentials, we or
 * the broker broke the protocol) do not, because retrying would fail the same way or fight an
 * operator's decision. Unknown failure codes count as transient: backoff bounds the cost, and a
 * device is not stranded by a code this table does not know yet.
 */
import type { CloseCause } from './close-reason.js';

/** What the machine does after a close. */
export interface ReconnectPolicy {
  /** false: never reconnect automatically. Default true. */
  readonly enabled: boolean;
  /**
   * Consecutive failed attempts after which the machine gives up (moves to `closed` with the last
   * cause and `willReconnect: false`). Absent: no limit.
   */
  readonly maxAttempts?: number;
  /**
   * Also reconnect after a refusal that will not change by itself: a CONNACK refusal (bad
   * credentials, not authorized, banned...), a DISCONNECT marked permanent below, or a transport
   * error that is not retryable (a server certificate failing verification, e.g. behind a captive
   * portal). For deployments that refresh credentials, ACLs or certificates out of band; backoff
   * bounds the cost. Default false.
   * Local ends, aborts and protocol violations never reconnect.
   */
  readonly retryRefusals?: boolean;
}

// The codes after which the machine does not reconnect: retrying would be refused the same way,
// or would fight an operator's decision. Every other code reconnects, named or not. Their names
// are in reason-codes.ts, which the README's tables are generated from.

/** MQTT 5 CONNACK failure reason codes (section 3.2.2.2) that are permanent. */
export const CONNACK_V5_PERMANENT: readonly number[] = [
  0x81, 0x82, 0x84, 0x85, 0x86, 0x87, 0x8a, 0x8c, 0x90, 0x95, 0x99, 0x9a, 0x9b,
];

/** MQTT 3.1.1 CONNACK return codes (section 3.2.2.3) that are permanent: all but 3, unavailable. */
export const CONNACK_V4_PERMANENT: readonly number[] = [1, 2, 4, 5];

/** MQTT 5 DISCONNECT reason codes a broker may send (section 3.14.2.1) that are permanent. */
export const DISCONNECT_V5_PERMANENT: readonly number[] = [
  0x81, 0x82, 0x87,
  // 0x8E Session taken over: another connection took our Client Identifier; reconnecting would
  // take it back and the two clients would evict each other forever.
  0x8e, 0x8f, 0x90, 0x93, 0x94, 0x95,
  // 0x98 Administrative action: an operator disconnected this client on purpose.
  0x98, 0x99, 0x9a, 0x9b, 0x9e, 0xa1, 0xa2,
];

/**
 * Whether the cause alone is transient (worth a reconnect), ignoring the policy and attempt count.
 */
export function isTransient(cause: CloseCause): boolean {
  switch (cause.type) {
    case 'local-end':
    case 'aborted':
      return false;
    case 'transport-error':
      return cause.retryable;
    case 'transport-closed':
    case 'keepalive-timeout':
    case 'connect-timeout':
      return true;
    case 'broker-disconnect':
      return !DISCONNECT_V5_PERMANENT.includes(cause.reasonCode);
    case 'connack-refused':
      return !(cause.protocolVersion === 5 ? CONNACK_V5_PERMANENT : CONNACK_V4_PERMANENT).includes(
        cause.reasonCode,
      );
    case 'protocol-violation':
      // A broker that sends malformed data will most likely send it again; a reconnect loop would
      // hide the fault instead of reporting it.
      return false;
  }
}

/**
 * Whether the machine reconnects after `cause`. `attempt` is the number of the reconnect attempt
 * that would follow (1 for the first retry after a lost link or a failed first connect).
 */
export function shouldReconnect(cause: CloseCause, policy: ReconnectPolicy, attempt = 1): boolean {
  if (!policy.enabled) return false;
  if (policy.maxAttempts !== undefined && attempt > policy.maxAttempts) return false;
  if (policy.retryRefusals === true && isRefusal(cause)) return true;
  return isTransient(cause);
}

/** A refusal that will not change by itself: the broker's, or a certificate failing verification. */
function isRefusal(cause: CloseCause): boolean {
  return (
    cause.type === 'connack-refused' ||
    cause.type === 'broker-disconnect' ||
    (cause.type === 'transport-error' && !cause.retryable)
  );
}
