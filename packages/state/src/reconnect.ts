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

export interface ReasonCodeRule {
  readonly code: number;
  readonly name: string;
  readonly reconnect: boolean;
}

/** MQTT 5 CONNACK failure reason codes (section 3.2.2.2). */
export const CONNACK_V5_RULES: readonly ReasonCodeRule[] = [
  { code: 0x80, name: 'Unspecified error', reconnect: true },
  { code: 0x81, name: 'Malformed Packet', reconnect: false },
  { code: 0x82, name: 'Protocol Error', reconnect: false },
  { code: 0x83, name: 'Implementation specific error', reconnect: true },
  { code: 0x84, name: 'Unsupported Protocol Version', reconnect: false },
  { code: 0x85, name: 'Client Identifier not valid', reconnect: false },
  { code: 0x86, name: 'Bad User Name or Password', reconnect: false },
  { code: 0x87, name: 'Not authorized', reconnect: false },
  { code: 0x88, name: 'Server unavailable', reconnect: true },
  { code: 0x89, name: 'Server busy', reconnect: true },
  { code: 0x8a, name: 'Banned', reconnect: false },
  { code: 0x8c, name: 'Bad authentication method', reconnect: false },
  { code: 0x90, name: 'Topic Name invalid', reconnect: false },
  { code: 0x95, name: 'Packet too large', reconnect: false },
  { code: 0x97, name: 'Quota exceeded', reconnect: true },
  { code: 0x99, name: 'Payload format invalid', reconnect: false },
  { code: 0x9a, name: 'Retain not supported', reconnect: false },
  { code: 0x9b, name: 'QoS not supported', reconnect: false },
  { code: 0x9c, name: 'Use another server', reconnect: true },
  { code: 0x9d, name: 'Server moved', reconnect: true },
  { code: 0x9f, name: 'Connection rate exceeded', reconnect: true },
];

/** MQTT 3.1.1 CONNACK return codes 1-5 (section 3.2.2.3). */
export const CONNACK_V4_RULES: readonly ReasonCodeRule[] = [
  { code: 1, name: 'Unacceptable protocol version', reconnect: false },
  { code: 2, name: 'Identifier rejected', reconnect: false },
  { code: 3, name: 'Server unavailable', reconnect: true },
  { code: 4, name: 'Bad user name or password', reconnect: false },
  { code: 5, name: 'Not authorized', reconnect: false },
];

/** MQTT 5 DISCONNECT reason codes a broker may send (section 3.14.2.1). */
export const DISCONNECT_V5_RULES: readonly ReasonCodeRule[] = [
  { code: 0x00, name: 'Normal disconnection', reconnect: true },
  { code: 0x80, name: 'Unspecified error', reconnect: true },
  { code: 0x81, name: 'Malformed Packet', reconnect: false },
  { code: 0x82, name: 'Protocol Error', reconnect: false },
  { code: 0x83, name: 'Implementation specific error', reconnect: true },
  { code: 0x87, name: 'Not authorized', reconnect: false },
  { code: 0x89, name: 'Server busy', reconnect: true },
  { code: 0x8b, name: 'Server shutting down', reconnect: true },
  { code: 0x8d, name: 'Keep Alive timeout', reconnect: true },
  // Another connection took our Client Identifier: reconnecting would take it back and the two
  // clients would evict each other forever.
  { code: 0x8e, name: 'Session taken over', reconnect: false },
  { code: 0x8f, name: 'Topic Filter invalid', reconnect: false },
  { code: 0x90, name: 'Topic Name invalid', reconnect: false },
  { code: 0x93, name: 'Receive Maximum exceeded', reconnect: false },
  { code: 0x94, name: 'Topic Alias invalid', reconnect: false },
  { code: 0x95, name: 'Packet too large', reconnect: false },
  { code: 0x96, name: 'Message rate too high', reconnect: true },
  { code: 0x97, name: 'Quota exceeded', reconnect: true },
  // An operator disconnected this client on purpose.
  { code: 0x98, name: 'Administrative action', reconnect: false },
  { code: 0x99, name: 'Payload format invalid', reconnect: false },
  { code: 0x9a, name: 'Retain not supported', reconnect: false },
  { code: 0x9b, name: 'QoS not supported', reconnect: false },
  { code: 0x9c, name: 'Use another server', reconnect: true },
  { code: 0x9d, name: 'Server moved', reconnect: true },
  { code: 0x9e, name: 'Shared Subscriptions not supported', reconnect: false },
  { code: 0x9f, name: 'Connection rate exceeded', reconnect: true },
  { code: 0xa0, name: 'Maximum connect time', reconnect: true },
  { code: 0xa1, name: 'Subscription Identifiers not supported', reconnect: false },
  { code: 0xa2, name: 'Wildcard Subscriptions not supported', reconnect: false },
];

function lookup(rules: readonly ReasonCodeRule[], code: number): boolean {
  const rule = rules.find((r) => r.code === code);
  return rule === undefined ? true : rule.reconnect;
}

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
      return lookup(DISCONNECT_V5_RULES, cause.reasonCode);
    case 'connack-refused':
      return lookup(
        cause.protocolVersion === 5 ? CONNACK_V5_RULES : CONNACK_V4_RULES,
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
