/**
 * The reason codes of the reconnect decision, named, for documentation and tools (the README's
 * tables are generated from them). `reconnect` is read from the lists `isTransient` decides with,
 * so a table cannot disagree with the machine. A separate module so that the names stay out of
 * the bundles of apps that only run `transition`.
 */
import {
  CONNACK_V4_PERMANENT,
  CONNACK_V5_PERMANENT,
  DISCONNECT_V5_PERMANENT,
} from './reconnect.js';

/** A reason code, its name and whether a close it causes reconnects. */
export interface ReasonCodeRule {
  readonly code: number;
  readonly name: string;
  readonly reconnect: boolean;
}

function rules(
  permanent: readonly number[],
  names: readonly (readonly [code: number, name: string])[],
): readonly ReasonCodeRule[] {
  return names.map(([code, name]) => ({ code, name, reconnect: !permanent.includes(code) }));
}

/** MQTT 5 CONNACK failure reason codes (section 3.2.2.2). */
export const CONNACK_V5_RULES: readonly ReasonCodeRule[] = /* @__PURE__ */ rules(
  CONNACK_V5_PERMANENT,
  [
    [0x80, 'Unspecified error'],
    [0x81, 'Malformed Packet'],
    [0x82, 'Protocol Error'],
    [0x83, 'Implementation specific error'],
    [0x84, 'Unsupported Protocol Version'],
    [0x85, 'Client Identifier not valid'],
    [0x86, 'Bad User Name or Password'],
    [0x87, 'Not authorized'],
    [0x88, 'Server unavailable'],
    [0x89, 'Server busy'],
    [0x8a, 'Banned'],
    [0x8c, 'Bad authentication method'],
    [0x90, 'Topic Name invalid'],
    [0x95, 'Packet too large'],
    [0x97, 'Quota exceeded'],
    [0x99, 'Payload format invalid'],
    [0x9a, 'Retain not supported'],
    [0x9b, 'QoS not supported'],
    [0x9c, 'Use another server'],
    [0x9d, 'Server moved'],
    [0x9f, 'Connection rate exceeded'],
  ],
);

/** MQTT 3.1.1 CONNACK return codes 1-5 (section 3.2.2.3). */
export const CONNACK_V4_RULES: readonly ReasonCodeRule[] = /* @__PURE__ */ rules(
  CONNACK_V4_PERMANENT,
  [
    [1, 'Unacceptable protocol version'],
    [2, 'Identifier rejected'],
    [3, 'Server unavailable'],
    [4, 'Bad user name or password'],
    [5, 'Not authorized'],
  ],
);

/** MQTT 5 DISCONNECT reason codes a broker may send (section 3.14.2.1). */
export const DISCONNECT_V5_RULES: readonly ReasonCodeRule[] = /* @__PURE__ */ rules(
  DISCONNECT_V5_PERMANENT,
  [
    [0x00, 'Normal disconnection'],
    [0x80, 'Unspecified error'],
    [0x81, 'Malformed Packet'],
    [0x82, 'Protocol Error'],
    [0x83, 'Implementation specific error'],
    [0x87, 'Not authorized'],
    [0x89, 'Server busy'],
    [0x8b, 'Server shutting down'],
    [0x8d, 'Keep Alive timeout'],
    [0x8e, 'Session taken over'],
    [0x8f, 'Topic Filter invalid'],
    [0x90, 'Topic Name invalid'],
    [0x93, 'Receive Maximum exceeded'],
    [0x94, 'Topic Alias invalid'],
    [0x95, 'Packet too large'],
    [0x96, 'Message rate too high'],
    [0x97, 'Quota exceeded'],
    [0x98, 'Administrative action'],
    [0x99, 'Payload format invalid'],
    [0x9a, 'Retain not supported'],
    [0x9b, 'QoS not supported'],
    [0x9c, 'Use another server'],
    [0x9d, 'Server moved'],
    [0x9e, 'Shared Subscriptions not supported'],
    [0x9f, 'Connection rate exceeded'],
    [0xa0, 'Maximum connect time'],
    [0xa1, 'Subscription Identifiers not supported'],
    [0xa2, 'Wildcard Subscriptions not supported'],
  ],
);
