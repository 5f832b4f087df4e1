/**
 * Why a connection ended: one value per close, reused by the client's `close`, `offline`, `end` and
 * `state` events. Discriminated on `type`; `initiator` says who ended the link.
 */

/**
 * Reason codes the client may close with after finding the broker at fault: 0x81 Malformed Packet,
 * 0x82 Protocol Error, 0x93 Receive Maximum exceeded, 0x94 Topic Alias invalid, 0x95 Packet too
 * large (a packet above the Maximum Packet Size we announced [MQTT-3.1.2-24]).
 */
export type ProtocolViolationCode = 0x81 | 0x82 | 0x93 | 0x94 | 0x95;

/** Reason codes a `protocol-violation` close may carry. */
export const PROTOCOL_VIOLATION_CODES: readonly ProtocolViolationCode[] = [
  0x81, 0x82, 0x93, 0x94, 0x95,
];

/** `local`: this client decided; `broker`: the broker said so in MQTT; `network`: the link failed. */
export type Initiator = 'local' | 'broker' | 'network';

/** The cause of a close, before the machine has decided whether it reconnects. */
export type CloseCause =
  /** The user called `end()`. `force: true` closed the transport without sending DISCONNECT. */
  | { readonly type: 'local-end'; readonly initiator: 'local'; readonly force: boolean }
  /** The user aborted a connection attempt (the `AbortSignal` of `connect()`). */
  | { readonly type: 'aborted'; readonly initiator: 'local' }
  /**
   * The transport failed (socket error, TLS error, DNS...), with the error it reported.
   * `retryable: false` when the transport says the same attempt cannot succeed as it stands (a
   * certificate that fails verification, a bad URL): no automatic retry, unless the policy's
   * `retryRefusals` asks for one.
   */
  | {
      readonly type: 'transport-error';
      readonly initiator: 'network';
      readonly error: unknown;
      readonly retryable: boolean;
    }
  /**
   * The transport closed without error and without an MQTT reason (no DISCONNECT): we cannot tell
   * whether the broker or a proxy in between closed it.
   */
  | { readonly type: 'transport-closed'; readonly initiator: 'network' }
  /** The keepalive engine declared the link dead (no packet from the broker in time). */
  | { readonly type: 'keepalive-timeout'; readonly initiator: 'network' }
  /** No accepted CONNACK within the connect timeout (covers opening the transport too). */
  | { readonly type: 'connect-timeout'; readonly initiator: 'network' }
  /** The broker sent DISCONNECT (MQTT 5) with this reason code. */
  | {
      readonly type: 'broker-disconnect';
      readonly initiator: 'broker';
      readonly reasonCode: number;
      readonly reasonString?: string;
    }
  /** The broker refused CONNECT: an MQTT 5 reason code >= 0x80, or a 3.1.1 return code 1-5. */
  | {
      readonly type: 'connack-refused';
      readonly initiator: 'broker';
      readonly reasonCode: number;
      /** The version the CONNACK was read in (`reasonCode` is a 3.1.1 return code under 4). */
      readonly protocolVersion: 4 | 5;
      /**
       * The version our CONNECT asked for, when the broker answered in another: 5, refused by a
       * 3.1.1-only broker with return code 1 [MQTT-3.1.2-2] (3.1.1).
       */
      readonly requestedVersion?: 4 | 5;
    }
  /**
   * The client found the broker's data malformed (0x81), against the protocol (0x82), over our
   * Receive Maximum (0x93), with an invalid Topic Alias (0x94) or over our Maximum Packet Size
   * (0x95), and closed the link.
   */
  | {
      readonly type: 'protocol-violation';
      readonly initiator: 'local';
      readonly reasonCode: ProtocolViolationCode;
      readonly message: string;
    };

/** A close cause plus the machine's decision: `willReconnect` is true when it reconnects by itself. */
export type CloseReason = CloseCause & { readonly willReconnect: boolean };

/** The `type` of a close reason. */
export type CloseReasonType = CloseCause['type'];

/** Every `CloseReasonType`. */
export const CLOSE_REASON_TYPES: readonly CloseReasonType[] = [
  'local-end',
  'aborted',
  'transport-error',
  'transport-closed',
  'keepalive-timeout',
  'connect-timeout',
  'broker-disconnect',
  'connack-refused',
  'protocol-violation',
];

export function withDecision(cause: CloseCause, willReconnect: boolean): CloseReason {
  return { ...cause, willReconnect };
}
