import type { PacketCmd } from './packets.js';

/** Where a property may appear: a packet, or the Will Properties of a CONNECT. */
export type PropertyContext = PacketCmd | 'will';

export type PropertyKind =
  | 'bool'
  | 'byte'
  | 'int16'
  | 'int32'
  | 'varint'
  | 'string'
  | 'binary'
  | 'pair';

export interface PropertyDef {
  readonly id: number;
  readonly name: string;
  readonly kind: PropertyKind;
  readonly in: ReadonlySet<PropertyContext>;
  /** Zero is a Protocol Error for this property (spec 3.1.2.11, 3.2.2.3, 3.3.2.3). */
  readonly nonZero?: boolean;
  /** May appear more than once in one packet. */
  readonly repeatable?: boolean;
}

const ACKS: PropertyContext[] = ['puback', 'pubrec', 'pubrel', 'pubcomp', 'suback', 'unsuback'];
const ALL: PropertyContext[] = [
  'connect',
  'connack',
  'publish',
  'will',
  'subscribe',
  'unsubscribe',
  'disconnect',
  'auth',
  ...ACKS,
];

function def(
  id: number,
  name: string,
  kind: PropertyKind,
  contexts: PropertyContext[],
  extra: { nonZero?: boolean; repeatable?: boolean } = {},
): PropertyDef {
  return { id, name, kind, in: new Set(contexts), ...extra };
}

/** The MQTT 5 property table (spec 2.2.2.2, table 2-4). */
export const PROPERTY_DEFS: readonly PropertyDef[] = [
  def(0x01, 'payloadFormatIndicator', 'bool', ['publish', 'will']),
  def(0x02, 'messageExpiryInterval', 'int32', ['publish', 'will']),
  def(0x03, 'contentType', 'string', ['publish', 'will']),
  def(0x08, 'responseTopic', 'string', ['publish', 'will']),
  def(0x09, 'correlationData', 'binary', ['publish', 'will']),
  // [MQTT-3.3.4-3]: a PUBLISH to a client may carry several Subscription Identifiers.
  def(0x0b, 'subscriptionIdentifier', 'varint', ['publish', 'subscribe'], { nonZero: true }),
  def(0x11, 'sessionExpiryInterval', 'int32', ['connect', 'connack', 'disconnect']),
  def(0x12, 'assignedClientIdentifier', 'string', ['connack']),
  def(0x13, 'serverKeepAlive', 'int16', ['connack']),
  def(0x15, 'authenticationMethod', 'string', ['connect', 'connack', 'auth']),
  def(0x16, 'authenticationData', 'binary', ['connect', 'connack', 'auth']),
  def(0x17, 'requestProblemInformation', 'bool', ['connect']),
  def(0x18, 'willDelayInterval', 'int32', ['will']),
  def(0x19, 'requestResponseInformation', 'bool', ['connect']),
  def(0x1a, 'responseInformation', 'string', ['connack']),
  def(0x1c, 'serverReference', 'string', ['connack', 'disconnect']),
  def(0x1f, 'reasonString', 'string', ['connack', 'disconnect', 'auth', ...ACKS]),
  def(0x21, 'receiveMaximum', 'int16', ['connect', 'connack'], { nonZero: true }),
  def(0x22, 'topicAliasMaximum', 'int16', ['connect', 'connack']),
  def(0x23, 'topicAlias', 'int16', ['publish'], { nonZero: true }),
  def(0x24, 'maximumQoS', 'byte', ['connack']),
  def(0x25, 'retainAvailable', 'bool', ['connack']),
  def(0x26, 'userProperties', 'pair', ALL, { repeatable: true }),
  def(0x27, 'maximumPacketSize', 'int32', ['connect', 'connack'], { nonZero: true }),
  def(0x28, 'wildcardSubscriptionAvailable', 'bool', ['connack']),
  def(0x29, 'subscriptionIdentifiersAvailable', 'bool', ['connack']),
  def(0x2a, 'sharedSubscriptionAvailable', 'bool', ['connack']),
];

export const PROPERTY_BY_ID: ReadonlyMap<number, PropertyDef> = new Map(
  PROPERTY_DEFS.map((d) => [d.id, d]),
);

/** By the name used in this package's property objects (`subscriptionIdentifiers` for PUBLISH). */
export const PROPERTY_BY_NAME: ReadonlyMap<string, PropertyDef> = new Map(
  PROPERTY_DEFS.map((d) => [d.name, d]),
);
