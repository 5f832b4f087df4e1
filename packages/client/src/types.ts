/** The public types of the client facade: messages, results, events, operation options. */
import type {
  ConnackProperties,
  Packet,
  PublishProperties,
  QoS,
  SubscribeProperties,
  UnsubscribeProperties,
} from '@mqttkit/codec';
import type { CloseReason, StateType } from '@mqttkit/state';
import type { AbortSignalLike } from './globals.js';
import type { ProtocolAnomaly } from './session/types.js';
import type { AckInfo, SubscribeResult, UnsubscribeResult } from './session.js';

export type { ProtocolAnomaly };

/**
 * Payload of the `resubscribe` event: the answers to the SUBSCRIBEs that restored the
 * subscriptions on a new session (reconnect without a session, `resubscribe` on).
 */
export interface ResubscribeOutcome {
  /** Every restored filter's result, in the order they were sent. */
  results: SubscribeResult[];
  /**
   * The refused ones (reason code >= 0x80). They are dropped from what later reconnects
   * restore; `subscribe()` again to try once more.
   */
  refused: SubscribeResult[];
}

/** An incoming application message. */
export interface Message {
  topic: string;
  payload: Uint8Array;
  qos: QoS;
  retain: boolean;
  dup: boolean;
  packetId?: number;
  /** MQTT 5 properties (topic alias already resolved into `topic`). */
  properties?: PublishProperties;
}

/** What `connect()` resolves with, and the `connect` event carries. */
export interface ConnectResult {
  /**
   * The CONNACK's Session Present flag. MQTT 3.1 has none: there it is `!clean`, as a 3.1 server
   * keeps the session of a client connecting with Clean Session 0 (3.1 section 3.1).
   */
  sessionPresent: boolean;
  /** Index in `servers` of the broker that accepted us. */
  serverIndex: number;
  /** 0: first try; n: retry n succeeded. */
  attempt: number;
  /**
   * The version this link speaks: the pinned one, or what negotiation agreed with the broker
   * (3 only when pinned: negotiation never goes below 3.1.1).
   */
  protocolVersion: 3 | 4 | 5;
  /** MQTT 5 CONNACK properties (Assigned Client Identifier, Server Keep Alive, limits...). */
  properties?: ConnackProperties;
}

/** Payload of the `state` event. */
export interface StateChange {
  from: StateType;
  to: StateType;
  reason?: CloseReason;
}

/** The client's events and their listeners. */
export interface MqttClientEvents {
  /** A CONNACK accepted the connection. */
  connect: (result: ConnectResult) => void;
  /** May return a promise: with `ackAfterHandler`, the ack waits for it to settle. */
  message: (message: Message) => unknown;
  /** Every change of the connection state. */
  state: (change: StateChange) => void;
  /** The client left `connected`. */
  offline: (reason: CloseReason) => void;
  /** A transport closed (a connection or a failed attempt), with the reason. */
  close: (reason: CloseReason) => void;
  /** The client stopped (entered `closed`). */
  end: (reason: CloseReason) => void;
  /** A listener threw (`ListenerError`). */
  error: (error: unknown) => void;
  /**
   * The subscriptions of a new session were restored (`resubscribe`): every filter's result,
   * once all their SUBACKs came.
   */
  resubscribe: (outcome: ResubscribeOutcome) => void;
  /**
   * The broker sent something the client tolerated instead of closing the link: no normative
   * statement makes it a protocol error (an ack for a packet id not in use, an Assigned Client
   * Identifier for a non-empty one).
   */
  anomaly: (anomaly: ProtocolAnomaly) => void;
  /** A packet was sent (for tracing; CONNECT without password or authentication data). */
  packetsend: (packet: Packet) => void;
  /** A packet arrived (for tracing). */
  packetreceive: (packet: Packet) => void;
}

/** Options of `client.publish()`. */
export interface PublishOptions {
  qos?: QoS;
  retain?: boolean;
  properties?: PublishProperties;
  signal?: AbortSignalLike;
}

/** One filter of `client.subscribe()`, with its MQTT 5 subscription options. */
export type SubscriptionRequest = {
  topicFilter: string;
  qos?: QoS;
  noLocal?: boolean;
  retainAsPublished?: boolean;
  retainHandling?: 0 | 1 | 2;
};

/** Options of `client.subscribe()`. */
export interface SubscribeOptions {
  /** Default QoS for filters given as strings. Default 0. */
  qos?: QoS;
  properties?: SubscribeProperties;
  signal?: AbortSignalLike;
}

/** Options of `client.unsubscribe()`. */
export interface UnsubscribeOptions {
  properties?: UnsubscribeProperties;
  signal?: AbortSignalLike;
}

/** Options of `client.end()`. */
export interface EndOptions {
  /** Destroy the link without DISCONNECT (the broker publishes the Will). */
  force?: boolean;
  /** MQTT 5 DISCONNECT reason code (0x04 asks the broker to publish the Will). Default 0x00. */
  reasonCode?: number;
  /** Aborting escalates a graceful end to a forced one. */
  signal?: AbortSignalLike;
}

/** Options of `client.request()` (MQTT 5 request/response). */
export interface RequestOptions {
  qos?: QoS;
  /** Where the reply should go. Default: a per-client topic the client subscribes to once. */
  responseTopic?: string;
  /** Extra PUBLISH properties (`responseTopic` and `correlationData` are set by the helper). */
  properties?: PublishProperties;
  /** Abort waiting (e.g. `AbortSignal.timeout(5000)`). */
  signal?: AbortSignalLike;
}

/** What `client.stats()` returns. */
export interface ClientStats {
  /** Connections accepted by a retry of the automatic reconnect path (attempt > 0). */
  reconnects: number;
  pingsSent: number;
  pongsReceived: number;
  lastRttMs: number | undefined;
  /** QoS 1/2 flows not yet completed. */
  inflight: number;
  /** Operations waiting: offline queue, send window, packet ids. */
  queued: number;
  /** Restored filters the broker refused on a new session (see the `resubscribe` event). */
  resubscribeRefused: number;
  /** Broker anomalies tolerated without closing (see the `anomaly` event). */
  anomalies: number;
  /** Received messages whose acks wait for their handlers (`ackAfterHandler`), on this link. */
  held: number;
  /** The client stopped reading the socket: its consumers are full (inbound flow control). */
  readingPaused: boolean;
}

/** A SUBACK result with the MQTT 5 extras. */
export type SubscribeResultWithInfo = SubscribeResult & AckInfo;
/** An UNSUBACK result with the MQTT 5 extras. */
export type UnsubscribeResultWithInfo = UnsubscribeResult & AckInfo;
