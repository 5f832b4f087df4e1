/** The inputs of the machine: user calls, transport and broker news, and fired timers. */
import type { ProtocolViolationCode } from './close-reason.js';
import type { ConnectOptions } from './settings.js';

/**
 * User: `connect()`. The options are read when a new connection starts: from `idle` or `closed`,
 * or during a close (`disconnecting`); a `connect` in `reconnectWait` retries with the old ones.
 */
export interface ConnectEvent extends ConnectOptions {
  readonly type: 'connect';
}

/**
 * User: `reconnect()`, "reconnect now" as one event. Connected: close gracefully (DISCONNECT) and
 * open a new link once the transport has closed; waiting to retry: retry at once. Elsewhere it
 * does what `connect` does (start from `idle`/`closed`, follow a close in `disconnecting`, nothing
 * while a connection is on its way). Carries the options a new connection starts with.
 */
export interface ReconnectNowEvent extends ConnectOptions {
  readonly type: 'reconnectNow';
}

/** User: `end()`. Graceful sends DISCONNECT with `reasonCode` (default 0x00); `force` does not. */
export interface EndEvent {
  readonly type: 'end';
  readonly force?: boolean;
  readonly reasonCode?: number;
}

/** User: the `AbortSignal` of `connect()` fired. */
export interface AbortEvent {
  readonly type: 'abort';
}

/** Transport: the transport asked for by `openTransport` is open. */
export interface TransportOpenedEvent {
  readonly type: 'transportOpened';
}

/**
 * Transport: its one close notification, or the failure of the open itself. `error` is set when the
 * transport failed; absent when the peer closed cleanly or after our `closeTransport`.
 */
export interface TransportClosedEvent {
  readonly type: 'transportClosed';
  readonly error?: unknown;
  /** With `error`: false when retrying the same open cannot succeed (see `CloseCause`). Default true. */
  readonly retryable?: boolean;
}

/** Broker: CONNACK with reason code 0x00. */
export interface ConnackAcceptedEvent {
  readonly type: 'connackAccepted';
  readonly sessionPresent: boolean;
}

/** Broker: CONNACK with a failure code (MQTT 5: >= 0x80; 3.1.1: return code 1-5). */
export interface ConnackRefusedEvent {
  readonly type: 'connackRefused';
  readonly reasonCode: number;
  /**
   * The version the CONNACK was read in, when it differs from the link's: 4 for a 3.1.1 broker
   * refusing our MQTT 5 CONNECT with return code 1 [MQTT-3.1.2-2] (3.1.1).
   */
  readonly protocolVersion?: 4 | 5;
}

/** Broker: DISCONNECT (MQTT 5). */
export interface BrokerDisconnectEvent {
  readonly type: 'brokerDisconnect';
  readonly reasonCode: number;
  readonly reasonString?: string;
}

/**
 * Client: the broker's bytes were malformed (0x81), broke the protocol (0x82), exceeded our Receive
 * Maximum (0x93), used an invalid Topic Alias (0x94) or exceeded our Maximum Packet Size (0x95).
 */
export interface ProtocolViolationEvent {
  readonly type: 'protocolViolation';
  readonly reasonCode: ProtocolViolationCode;
  readonly message: string;
}

/** Keepalive engine: no packet from the broker in time. */
export interface KeepaliveDeadEvent {
  readonly type: 'keepaliveDead';
}

/** Timer: the connect timer (`startConnectTimer`) fired. */
export interface ConnectTimeoutEvent {
  readonly type: 'connectTimeout';
}

/** Timer: the reconnect timer (`scheduleReconnect`) fired. */
export interface ReconnectTimerEvent {
  readonly type: 'reconnectTimer';
}

/** An input of the state machine: a call of the application or something the host observed. */
export type Event =
  | ConnectEvent
  | ReconnectNowEvent
  | EndEvent
  | AbortEvent
  | TransportOpenedEvent
  | TransportClosedEvent
  | ConnackAcceptedEvent
  | ConnackRefusedEvent
  | BrokerDisconnectEvent
  | ProtocolViolationEvent
  | KeepaliveDeadEvent
  | ConnectTimeoutEvent
  | ReconnectTimerEvent;

/** The `type` of an event. */
export type EventType = Event['type'];

/** The event of a given type. */
export type EventOf<T extends EventType> = Extract<Event, { type: T }>;

/** Every `EventType`. */
export const EVENT_TYPES: readonly EventType[] = [
  'connect',
  'reconnectNow',
  'end',
  'abort',
  'transportOpened',
  'transportClosed',
  'connackAccepted',
  'connackRefused',
  'brokerDisconnect',
  'protocolViolation',
  'keepaliveDead',
  'connectTimeout',
  'reconnectTimer',
];
