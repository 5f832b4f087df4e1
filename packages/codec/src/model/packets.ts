/**
 * The typed packet model: plain objects discriminated by `cmd`, with the spec's field names.
 * Byte fields are `Uint8Array`. Properties exist only under MQTT 5.
 */

/** MQTT protocol levels: 3 is MQTT 3.1 (CONNECT only, see `ConnectProtocolVersion`), 4 is MQTT 3.1.1, 5 is MQTT 5.0. */
export const PROTOCOL_VERSIONS = { MQTT_3_1: 3, MQTT_3_1_1: 4, MQTT_5_0: 5 } as const;
/** 4 = MQTT 3.1.1, 5 = MQTT 5.0. */
export type ProtocolVersion = 4 | 5;
/**
 * The Protocol Level a CONNECT may carry: a `ProtocolVersion`, or 3 for MQTT 3.1 (Protocol Name
 * `MQIsdp`). MQTT 3.1 frames every other packet as 3.1.1 does, so a 3.1 connection encodes and
 * decodes under version 4; only its CONNECT says 3.
 */
export type ConnectProtocolVersion = 3 | ProtocolVersion;
/** Quality of service: 0 at most once, 1 at least once, 2 exactly once. */
export type QoS = 0 | 1 | 2;

/** User Property pairs; a name that appears more than once maps to an array (order kept). */
export type UserProperties = Record<string, string | string[]>;

/** CONNECT properties (MQTT 5). */
export interface ConnectProperties {
  sessionExpiryInterval?: number;
  receiveMaximum?: number;
  maximumPacketSize?: number;
  topicAliasMaximum?: number;
  requestResponseInformation?: boolean;
  requestProblemInformation?: boolean;
  authenticationMethod?: string;
  authenticationData?: Uint8Array;
  userProperties?: UserProperties;
}

/** Will properties (MQTT 5). */
export interface WillProperties {
  willDelayInterval?: number;
  payloadFormatIndicator?: boolean;
  messageExpiryInterval?: number;
  contentType?: string;
  responseTopic?: string;
  correlationData?: Uint8Array;
  userProperties?: UserProperties;
}

/** CONNACK properties (MQTT 5). */
export interface ConnackProperties {
  sessionExpiryInterval?: number;
  receiveMaximum?: number;
  maximumQoS?: 0 | 1;
  retainAvailable?: boolean;
  maximumPacketSize?: number;
  assignedClientIdentifier?: string;
  topicAliasMaximum?: number;
  reasonString?: string;
  wildcardSubscriptionAvailable?: boolean;
  subscriptionIdentifiersAvailable?: boolean;
  sharedSubscriptionAvailable?: boolean;
  serverKeepAlive?: number;
  responseInformation?: string;
  serverReference?: string;
  authenticationMethod?: string;
  authenticationData?: Uint8Array;
  userProperties?: UserProperties;
}

/** PUBLISH properties (MQTT 5). */
export interface PublishProperties {
  payloadFormatIndicator?: boolean;
  messageExpiryInterval?: number;
  topicAlias?: number;
  responseTopic?: string;
  correlationData?: Uint8Array;
  contentType?: string;
  /**
   * Subscription Identifier (0x0B). Plural and always an array because a server may repeat it
   * in one PUBLISH, once per matching subscription [MQTT-3.3.4-3].
   */
  subscriptionIdentifiers?: number[];
  userProperties?: UserProperties;
}

/** Properties of PUBACK, PUBREC, PUBREL, PUBCOMP, SUBACK and UNSUBACK. */
export interface AckProperties {
  reasonString?: string;
  userProperties?: UserProperties;
}

/** SUBSCRIBE properties (MQTT 5). */
export interface SubscribeProperties {
  subscriptionIdentifier?: number;
  userProperties?: UserProperties;
}

/** UNSUBSCRIBE properties (MQTT 5). */
export interface UnsubscribeProperties {
  userProperties?: UserProperties;
}

/** DISCONNECT properties (MQTT 5). */
export interface DisconnectProperties {
  sessionExpiryInterval?: number;
  reasonString?: string;
  serverReference?: string;
  userProperties?: UserProperties;
}

/** AUTH properties (MQTT 5). */
export interface AuthProperties {
  authenticationMethod?: string;
  authenticationData?: Uint8Array;
  reasonString?: string;
  userProperties?: UserProperties;
}

/** The Will of a CONNECT. */
export interface Will {
  topic: string;
  payload: Uint8Array;
  qos: QoS;
  retain: boolean;
  properties?: WillProperties;
}

/** CONNECT: the first packet of a connection. */
export interface ConnectPacket {
  cmd: 'connect';
  /**
   * Set by the decoder from the packet's Protocol Level; `encode` uses its own option, except
   * that 3 (MQTT 3.1: Protocol Name `MQIsdp`, level 3) is encoded under the option 4.
   */
  protocolVersion?: ConnectProtocolVersion;
  clientId: string;
  /** Clean Session (3.1.1) / Clean Start (5.0). */
  clean: boolean;
  /** Keep Alive in seconds, as on the wire (0 disables it). */
  keepalive: number;
  username?: string;
  password?: Uint8Array;
  will?: Will;
  properties?: ConnectProperties;
}

/** CONNACK: the broker's answer to CONNECT. */
export interface ConnackPacket {
  cmd: 'connack';
  sessionPresent: boolean;
  /** MQTT 5 Connect Reason Code, or the MQTT 3.1.1 Connect Return Code (0-5) under version 4. */
  reasonCode: number;
  properties?: ConnackProperties;
  /**
   * Set (to 4) only when an MQTT 5 decoder met a 3.1.1 CONNACK refusing our Protocol Level:
   * `reasonCode` is then the 3.1.1 return code 1, Unacceptable protocol version [MQTT-3.1.2-2].
   */
  protocolVersion?: ProtocolVersion;
}

/** PUBLISH: an application message. */
export interface PublishPacket {
  cmd: 'publish';
  topic: string;
  payload: Uint8Array;
  qos: QoS;
  retain: boolean;
  dup: boolean;
  /** Required (1-65535) when `qos > 0`, absent when `qos === 0` [MQTT-2.2.1-2]. */
  packetId?: number;
  properties?: PublishProperties;
}

interface AckBase {
  packetId: number;
  /** MQTT 5 reason code; the decoder always sets it (0 under MQTT 3.1.1). */
  reasonCode?: number;
  properties?: AckProperties;
}

/** PUBACK: the end of a QoS 1 flow. */
export interface PubackPacket extends AckBase {
  cmd: 'puback';
}
/** PUBREC: the first answer of a QoS 2 flow. */
export interface PubrecPacket extends AckBase {
  cmd: 'pubrec';
}
/** PUBREL: the release of a QoS 2 flow. */
export interface PubrelPacket extends AckBase {
  cmd: 'pubrel';
}
/** PUBCOMP: the end of a QoS 2 flow. */
export interface PubcompPacket extends AckBase {
  cmd: 'pubcomp';
}

/** One filter of a SUBSCRIBE, with its options. */
export interface Subscription {
  topicFilter: string;
  qos: QoS;
  /** MQTT 5 only; the decoder sets all three under version 5. */
  noLocal?: boolean;
  retainAsPublished?: boolean;
  retainHandling?: 0 | 1 | 2;
}

/** SUBSCRIBE. */
export interface SubscribePacket {
  cmd: 'subscribe';
  packetId: number;
  subscriptions: Subscription[];
  properties?: SubscribeProperties;
}

/** SUBACK: one reason code (or granted QoS) per filter subscribed. */
export interface SubackPacket {
  cmd: 'suback';
  packetId: number;
  /** One per subscription: the granted QoS (0-2) or a failure code (>= 0x80). */
  reasonCodes: number[];
  properties?: AckProperties;
}

/** UNSUBSCRIBE. */
export interface UnsubscribePacket {
  cmd: 'unsubscribe';
  packetId: number;
  topicFilters: string[];
  properties?: UnsubscribeProperties;
}

/** UNSUBACK: one reason code per filter (MQTT 5). */
export interface UnsubackPacket {
  cmd: 'unsuback';
  packetId: number;
  /** One per topic filter under MQTT 5; always empty under MQTT 3.1.1 (no payload there). */
  reasonCodes: number[];
  properties?: AckProperties;
}

/** PINGREQ. */
export interface PingreqPacket {
  cmd: 'pingreq';
}

/** PINGRESP. */
export interface PingrespPacket {
  cmd: 'pingresp';
}

/** DISCONNECT, from either side (from the broker under MQTT 5 only). */
export interface DisconnectPacket {
  cmd: 'disconnect';
  /** MQTT 5 reason code; the decoder always sets it (0 under MQTT 3.1.1). */
  reasonCode?: number;
  properties?: DisconnectProperties;
}

/** MQTT 5 only. */
export interface AuthPacket {
  cmd: 'auth';
  /** Defaults to 0 (Success); the decoder always sets it. */
  reasonCode?: number;
  properties?: AuthProperties;
}

/** Any MQTT control packet, told apart by `cmd`. */
export type Packet =
  | ConnectPacket
  | ConnackPacket
  | PublishPacket
  | PubackPacket
  | PubrecPacket
  | PubrelPacket
  | PubcompPacket
  | SubscribePacket
  | SubackPacket
  | UnsubscribePacket
  | UnsubackPacket
  | PingreqPacket
  | PingrespPacket
  | DisconnectPacket
  | AuthPacket;

/** The `cmd` of a packet. */
export type PacketCmd = Packet['cmd'];

/** Packet names by Control Packet type number (spec 2.1.2); 0 is reserved. */
export const PACKET_NAMES: readonly (PacketCmd | undefined)[] = [
  undefined,
  'connect',
  'connack',
  'publish',
  'puback',
  'pubrec',
  'pubrel',
  'pubcomp',
  'subscribe',
  'suback',
  'unsubscribe',
  'unsuback',
  'pingreq',
  'pingresp',
  'disconnect',
  'auth',
];

/** Protocol maximum: 1 type byte + 4 Remaining Length bytes + 268,435,455 [MQTT-1.5.5]. */
export const MAX_REMAINING_LENGTH = 268_435_455;
/**
 * The largest packet the protocol can express: 268,435,455 bytes of Remaining Length plus 5 of
 * header.
 */
export const PROTOCOL_MAX_PACKET_SIZE = 268_435_460;
/** Default inbound limit: 16 MiB. */
export const DEFAULT_MAX_PACKET_SIZE = 16 * 1024 * 1024;
