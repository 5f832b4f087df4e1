/**
 * Errors of @mqttkit/client. Match on `code`, not `instanceof`: two copies of the package can be
 * loaded at once. Errors that come from a close carry its `CloseReason` as `reason`.
 *
 * A refused SUBSCRIBE or UNSUBSCRIBE has no error: its failure codes are results, and the
 * connection stays up (a peer client treated such answers as a broken link: rumqtt #875).
 */
import { type CloseReason, isVersionRefusal } from '@mqttkit/state';
import type { BackoffPolicy } from './backoff.js';

/** The `code` of every error the client throws or rejects with. */
export type ClientErrorCode =
  | 'MQTTKIT_ERR_INVALID_OPTION'
  | 'MQTTKIT_ERR_INVALID_ARGUMENT'
  | 'MQTTKIT_ERR_CONNECT_FAILED'
  | 'MQTTKIT_ERR_NOT_CONNECTED'
  | 'MQTTKIT_ERR_CONNECTION_CLOSED'
  | 'MQTTKIT_ERR_PUBLISH_REFUSED'
  | 'MQTTKIT_ERR_PACKET_TOO_LARGE_FOR_BROKER'
  | 'MQTTKIT_ERR_OPERATION_ABORTED'
  | 'MQTTKIT_ERR_LISTENER_THREW'
  | 'MQTTKIT_ERR_BEFORE_CONNECT';

/** Base class of the client's errors; `code` tells which one. */
export class MqttClientError extends Error {
  readonly code: ClientErrorCode;

  constructor(code: ClientErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MqttClientError';
    this.code = code;
  }
}

/** An option given to `createClient` is not usable. Thrown synchronously. */
export class InvalidOptionError extends MqttClientError {
  readonly option: string;

  constructor(option: string, expected: string, options?: { cause?: unknown }) {
    super('MQTTKIT_ERR_INVALID_OPTION', `Invalid option ${option}: expected ${expected}`, options);
    this.name = 'InvalidOptionError';
    this.option = option;
  }
}

/** An argument of an operation (topic, QoS, payload...) is not usable. The promise rejects with it. */
export class InvalidArgumentError extends MqttClientError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('MQTTKIT_ERR_INVALID_ARGUMENT', message, options);
    this.name = 'InvalidArgumentError';
  }
}

/**
 * `connect()` ended without a connection: the machine stopped (refusal that will not change, abort,
 * reconnect disabled or attempts exhausted, `end()`). `reason` says why.
 */
export class ConnectError extends MqttClientError {
  readonly reason: CloseReason;
  /** The CONNACK reason code, when the broker refused. */
  readonly reasonCode: number | undefined;

  constructor(reason: CloseReason) {
    super('MQTTKIT_ERR_CONNECT_FAILED', `Connect failed: ${describeReason(reason)}`, {
      cause: reason.type === 'transport-error' ? reason.error : undefined,
    });
    this.name = 'ConnectError';
    this.reason = reason;
    this.reasonCode =
      reason.type === 'connack-refused' || reason.type === 'broker-disconnect'
        ? reason.reasonCode
        : undefined;
  }
}

/** An operation was called while no connection is up or coming (`idle`, `closed`, ending). */
export class NotConnectedError extends MqttClientError {
  readonly why: 'idle' | 'disconnecting' | 'closed' | 'offline';

  constructor(why: 'idle' | 'disconnecting' | 'closed' | 'offline') {
    super('MQTTKIT_ERR_NOT_CONNECTED', `Not connected (${why}); call connect() first`);
    this.name = 'NotConnectedError';
    this.why = why;
  }
}

/**
 * The client stopped (entered `closed`) while the operation was pending. `inflight` is true when
 * the packet had been written: the broker may have it, and a QoS 1/2 message stays in the
 * in-flight store to be resent (with DUP) by the next connection.
 */
export class ConnectionClosedError extends MqttClientError {
  readonly reason: CloseReason;
  readonly inflight: boolean;

  constructor(reason: CloseReason, inflight: boolean) {
    super('MQTTKIT_ERR_CONNECTION_CLOSED', `Connection closed: ${describeReason(reason)}`, {
      cause: reason.type === 'transport-error' ? reason.error : undefined,
    });
    this.name = 'ConnectionClosedError';
    this.reason = reason;
    this.inflight = inflight;
  }
}

/** The broker answered a QoS 1/2 PUBLISH with a failure code in PUBACK/PUBREC (MQTT 5, >= 0x80). */
export class PublishRefusedError extends MqttClientError {
  readonly reasonCode: number;
  readonly reasonString: string | undefined;
  readonly packetId: number;

  constructor(packetId: number, reasonCode: number, reasonString?: string) {
    super(
      'MQTTKIT_ERR_PUBLISH_REFUSED',
      `Publish refused: reason code ${hex(reasonCode)}${reasonString ? ` (${reasonString})` : ''}`,
    );
    this.name = 'PublishRefusedError';
    this.reasonCode = reasonCode;
    this.reasonString = reasonString;
    this.packetId = packetId;
  }
}

/** The packet is larger than the broker's Maximum Packet Size (CONNACK) [MQTT-3.2.2-15]. */
export class PacketTooLargeForBrokerError extends MqttClientError {
  readonly size: number;
  readonly maximumPacketSize: number;
  /** MQTT 5 "Packet too large". */
  readonly reasonCode = 0x95;

  constructor(size: number, maximumPacketSize: number) {
    super(
      'MQTTKIT_ERR_PACKET_TOO_LARGE_FOR_BROKER',
      `Packet of ${size} bytes exceeds the broker's Maximum Packet Size (${maximumPacketSize})`,
    );
    this.name = 'PacketTooLargeForBrokerError';
    this.size = size;
    this.maximumPacketSize = maximumPacketSize;
  }
}

/** The operation's `signal` aborted it. `sent` is true when the packet had already been written. */
export class OperationAbortedError extends MqttClientError {
  readonly sent: boolean;

  constructor(sent: boolean, cause?: unknown) {
    super('MQTTKIT_ERR_OPERATION_ABORTED', 'Operation aborted', { cause });
    this.name = 'OperationAbortedError';
    this.sent = sent;
  }
}

/** An event listener threw; reported on the `error` event, never thrown into the network path. */
export class ListenerError extends MqttClientError {
  readonly event: string;

  constructor(event: string, cause: unknown) {
    super('MQTTKIT_ERR_LISTENER_THREW', `A "${event}" listener threw`, { cause });
    this.name = 'ListenerError';
    this.event = event;
  }
}

/**
 * The `beforeConnect` hook threw or rejected. The attempt ends as a `transport-error` carrying
 * this error (the hook's error as `cause`) and goes through the reconnect policy like any other
 * failed open: a token endpoint that is briefly down must not stop the client. The message never
 * includes what the hook returned (credentials, signed URLs).
 */
export class BeforeConnectError extends MqttClientError {
  /** Read by the client (as the transport's errors are) to decide whether to retry. */
  readonly retryable = true;

  constructor(cause: unknown) {
    super('MQTTKIT_ERR_BEFORE_CONNECT', 'The beforeConnect hook failed', { cause });
    this.name = 'BeforeConnectError';
  }
}

/**
 * The offline queue refused an operation, or evicted it for a newer one (`dropped`).
 * Match on `code`.
 */
export class QueueFullError extends Error {
  readonly code = 'MQTTKIT_ERR_QUEUE_FULL' as const;
  /** true: the operation was queued, then evicted by `drop-oldest`; false: never queued. */
  readonly dropped: boolean;

  constructor(dropped = false, options?: { cause?: unknown }) {
    super(
      `Offline queue full: ${dropped ? 'dropped for a newer operation' : 'not queued'}`,
      options,
    );
    this.name = 'QueueFullError';
    this.dropped = dropped;
  }
}

/** A backoff policy that cannot produce usable delays. Thrown by `validateBackoffPolicy`. */
export class InvalidBackoffError extends RangeError {
  readonly code = 'MQTTKIT_ERR_INVALID_BACKOFF' as const;
  /** The field that was refused, e.g. `multiplier`. */
  readonly field: keyof BackoffPolicy | 'policy';
  readonly value: unknown;

  constructor(field: keyof BackoffPolicy | 'policy', value: unknown, expected: string) {
    super(`Invalid backoff ${field}: ${describeValue(value)} (expected ${expected})`);
    this.name = 'InvalidBackoffError';
    this.field = field;
    this.value = value;
  }
}

/** A refused value in a message: strings quoted, numbers and booleans as written, else its type. */
function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return value === null ? 'null' : typeof value;
}

/** A reason code as the spec writes it: `0x87`, `0x04`. */
export const hex = (n: number): string => `0x${n.toString(16).padStart(2, '0')}`;

/** One line for a close reason, without secrets or payloads. */
export function describeReason(reason: CloseReason): string {
  switch (reason.type) {
    case 'local-end':
      return `ended locally${reason.force ? ' (forced)' : ''}`;
    case 'aborted':
      return 'aborted';
    case 'transport-error':
      return `transport error${reason.error instanceof Error ? `: ${reason.error.message}` : ''}`;
    case 'transport-closed':
      return 'closed by the peer';
    case 'keepalive-timeout':
      return 'keepalive timeout';
    case 'connect-timeout':
      return 'connect timeout';
    case 'broker-disconnect':
      return `broker DISCONNECT ${hex(reason.reasonCode)}${
        reason.reasonString ? ` (${reason.reasonString})` : ''
      }`;
    case 'connack-refused':
      if (isVersionRefusal(reason)) {
        const asked = reason.requestedVersion ?? reason.protocolVersion;
        return `CONNACK refused: the broker does not support MQTT ${asked === 5 ? '5' : '3.1.1'} (${
          reason.protocolVersion === 5
            ? `reason code ${hex(reason.reasonCode)}`
            : `3.1.1 return code ${reason.reasonCode}`
        }, unsupported protocol version)${asked === 5 ? '; protocolVersion: 4 speaks 3.1.1' : ''}`;
      }
      return `CONNACK refused: ${
        reason.protocolVersion === 5
          ? `reason code ${hex(reason.reasonCode)}`
          : `return code ${reason.reasonCode}`
      }`;
    case 'protocol-violation':
      return `protocol violation ${hex(reason.reasonCode)}: ${reason.message}`;
  }
}
