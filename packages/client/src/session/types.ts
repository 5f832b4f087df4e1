/**
 * The types the session speaks in: operations as the client hands them over, their results, what
 * a CONNACK says about a link, and what an inbound packet asks of the client. `../session.ts`
 * re-exports them, so importers see one module.
 */
import type {
  AckProperties,
  Packet,
  PublishPacket,
  QoS,
  SubscribeProperties,
  Subscription,
  UnsubscribeProperties,
} from '@mqttkit/codec';
import type { ProtocolViolationCode } from '@mqttkit/state';
import type { Logger } from '../logger.js';
import type { InflightStore } from '../store.js';

export interface Deferred<T> {
  resolve(value: T): void;
  reject(error: unknown): void;
}

/** How a QoS 1/2 publish ended (QoS 0: `{ reasonCode: 0 }` once written). */
export interface PublishResult {
  packetId?: number;
  /** PUBACK/PUBREC (and PUBCOMP for QoS 2) reason code; 0 under MQTT 3.1.1. */
  reasonCode: number;
  reasonString?: string;
  properties?: AckProperties;
}

/** One per topic filter. A refusal (>= 0x80) is a result, not an error. */
export interface SubscribeResult {
  topicFilter: string;
  reasonCode: number;
  /** The QoS granted, when accepted. */
  qos?: QoS;
}

/** One per topic filter. Under MQTT 3.1.1 UNSUBACK has no codes: every result is 0x00. */
export interface UnsubscribeResult {
  topicFilter: string;
  reasonCode: number;
}

/** MQTT 5 extras of an acknowledgement: its Reason String and properties. */
export interface AckInfo {
  reasonString?: string;
  properties?: AckProperties;
}

export interface PublishOp {
  readonly kind: 'publish';
  /** The packet as the user asked for it: full topic, no alias, no packet id yet. */
  packet: PublishPacket;
  deferred: Deferred<PublishResult> | undefined;
}

export interface SubscribeOp {
  readonly kind: 'subscribe';
  subscriptions: Subscription[];
  properties: SubscribeProperties | undefined;
  deferred: Deferred<{ results: SubscribeResult[] } & AckInfo> | undefined;
  /** Internal resubscribes are not reported to a caller. */
  readonly internal: boolean;
  /** Written at least once (the broker may have acted on it). */
  written?: boolean;
}

/**
 * Something a broker sent that the client tolerated rather than closing for: no normative
 * statement makes it a protocol error, so the link stays up and the client reports it.
 */
export interface ProtocolAnomaly {
  /**
   * `unsolicited-ack`: a PUBACK, PUBREC, PUBCOMP, SUBACK or UNSUBACK whose Packet Identifier is
   * not in use for that kind of packet. `unexpected-property`: a CONNACK property this CONNECT
   * gave the server no reason to send (an Assigned Client Identifier for a non-empty one).
   */
  kind: 'unsolicited-ack' | 'unexpected-property';
  /** The packet's name, upper case (`PUBACK`...). */
  packet: string;
  packetId?: number;
  /** What happened and which rule decided it. */
  message: string;
}

export interface UnsubscribeOp {
  readonly kind: 'unsubscribe';
  topicFilters: string[];
  properties: UnsubscribeProperties | undefined;
  deferred: Deferred<{ results: UnsubscribeResult[] } & AckInfo> | undefined;
  written?: boolean;
}

export type Op = PublishOp | SubscribeOp | UnsubscribeOp;

/** An operation the broker answers with SUBACK or UNSUBACK. */
export type AckableOp = SubscribeOp | UnsubscribeOp;

/** What a CONNACK told us about this link. */
export interface LinkParams {
  sessionPresent: boolean;
  /** The broker's Receive Maximum (65535 when absent). */
  receiveMaximum: number;
  /** The broker's Maximum Packet Size, when it set one. */
  maximumPacketSize: number | undefined;
  /** The broker's Topic Alias Maximum (0: no outgoing aliases). */
  topicAliasMaximum: number;
  /**
   * The version the link speaks (negotiation may agree on 4 under options asking for 5).
   * Absent: the options'.
   */
  protocolVersion?: 4 | 5;
}

export interface InboundResult {
  /** Packets to write now (acks). */
  send: Packet[];
  /** A message to hand to the application (topic resolved from its alias). */
  message?: PublishPacket;
  /** The broker broke the protocol: close the link with this code. */
  violation?: { reasonCode: ProtocolViolationCode; message: string };
}

export interface SessionOptions {
  protocolVersion: 4 | 5;
  store: InflightStore;
  /** Encoded size of a packet, for the broker's Maximum Packet Size. */
  measure(packet: Packet): number;
  logger: Logger;
  /** The Topic Alias Maximum we announced in CONNECT (incoming aliases). */
  incomingAliasMaximum: number;
  /** Whether to use outgoing topic aliases when the broker allows them. */
  outgoingTopicAliases: boolean;
  /** Subscribe again to granted filters when a new connection has no session. */
  resubscribe: boolean;
  /**
   * An asynchronous store finished a `put`: call `resume()` and write what it returns. (The
   * PUBLISH of a new flow is written only once its entry is stored.)
   */
  onPersisted?: () => void;
  /**
   * The resubscribes of a new session were all answered: every filter's result, refused ones
   * included (those are no longer restored).
   */
  onResubscribed?: (results: SubscribeResult[]) => void;
  /** The broker sent something tolerated rather than closed for (see `ProtocolAnomaly`). */
  onAnomaly?: (anomaly: ProtocolAnomaly) => void;
}
