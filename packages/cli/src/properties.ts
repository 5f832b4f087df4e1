/**
 * `-D command identifier value` (and `-D command user-property name value`): MQTT 5 properties
 * named as mosquitto_pub/mosquitto_sub name them, turned into the client's property objects.
 * Pure: values are checked here so a bad one is a usage error before any connection is made.
 */
import type {
  ConnectProperties,
  PublishProperties,
  SubscribeProperties,
  UserProperties,
  WillProperties,
} from '@mqttkit/client';
import { CliUsageError } from './errors.js';

export type PropertyPacket = 'connect' | 'publish' | 'subscribe' | 'will';

export interface PropertySet {
  connect: ConnectProperties;
  publish: PublishProperties;
  subscribe: SubscribeProperties;
  will: WillProperties;
}

type Kind = 'u8bool' | 'u16' | 'u32' | 'varint' | 'string' | 'binary';

/** The identifiers each packet accepts, with their wire type (MQTT 5 section 2.2.2.2). */
const IDENTIFIERS: Record<PropertyPacket, Record<string, { field: string; kind: Kind }>> = {
  connect: {
    'session-expiry-interval': { field: 'sessionExpiryInterval', kind: 'u32' },
    'receive-maximum': { field: 'receiveMaximum', kind: 'u16' },
    'maximum-packet-size': { field: 'maximumPacketSize', kind: 'u32' },
    'topic-alias-maximum': { field: 'topicAliasMaximum', kind: 'u16' },
    'request-problem-information': { field: 'requestProblemInformation', kind: 'u8bool' },
    'request-response-information': { field: 'requestResponseInformation', kind: 'u8bool' },
  },
  publish: {
    'payload-format-indicator': { field: 'payloadFormatIndicator', kind: 'u8bool' },
    'message-expiry-interval': { field: 'messageExpiryInterval', kind: 'u32' },
    'content-type': { field: 'contentType', kind: 'string' },
    'response-topic': { field: 'responseTopic', kind: 'string' },
    'correlation-data': { field: 'correlationData', kind: 'binary' },
  },
  subscribe: {
    'subscription-identifier': { field: 'subscriptionIdentifier', kind: 'varint' },
  },
  will: {
    'will-delay-interval': { field: 'willDelayInterval', kind: 'u32' },
    'payload-format-indicator': { field: 'payloadFormatIndicator', kind: 'u8bool' },
    'message-expiry-interval': { field: 'messageExpiryInterval', kind: 'u32' },
    'content-type': { field: 'contentType', kind: 'string' },
    'response-topic': { field: 'responseTopic', kind: 'string' },
    'correlation-data': { field: 'correlationData', kind: 'binary' },
  },
};

const MAX: Record<'u8bool' | 'u16' | 'u32' | 'varint', number> = {
  u8bool: 1,
  u16: 0xffff,
  u32: 0xffffffff,
  // Variable Byte Integer, and a Subscription Identifier of 0 is a Protocol Error [MQTT-3.8.2.1.2].
  varint: 268_435_455,
};

export function emptyPropertySet(): PropertySet {
  return { connect: {}, publish: {}, subscribe: {}, will: {} };
}

/** Which packets' properties a command may set. */
export const PROPERTY_PACKETS: Record<string, readonly PropertyPacket[]> = {
  pub: ['connect', 'publish', 'will'],
  sub: ['connect', 'subscribe', 'will'],
  bench: ['connect', 'publish'],
  watch: ['connect', 'will'],
};

/**
 * How many values follow `-D <command> <identifier>`: two for user-property (name, value), one
 * otherwise.
 */
export function propertyArity(identifier: string): 1 | 2 {
  return identifier.toLowerCase() === 'user-property' ? 2 : 1;
}

/** Apply one `-D` to `set`. Throws `CliUsageError` naming what is wrong. */
export function applyProperty(
  set: PropertySet,
  command: string,
  packetName: string,
  identifier: string,
  values: readonly string[],
): void {
  const packet = packetName.toLowerCase() as PropertyPacket;
  const allowed = PROPERTY_PACKETS[command] ?? [];
  if (!allowed.includes(packet)) {
    throw new CliUsageError(
      `-D ${packetName}: ${command} accepts properties for ${allowed.join(', ')}`,
      command,
    );
  }
  const id = identifier.toLowerCase();
  if (id === 'user-property') {
    const [name, value] = values as [string, string];
    const target = set[packet] as { userProperties?: UserProperties };
    const props: UserProperties = target.userProperties ?? {};
    const existing = props[name];
    // Keys may repeat (MQTT 5 section 3.1.2.11.8): keep every value, in order.
    if (existing === undefined) props[name] = value;
    else props[name] = Array.isArray(existing) ? [...existing, value] : [existing, value];
    target.userProperties = props;
    return;
  }
  const spec = IDENTIFIERS[packet][id];
  if (!spec) {
    const known = ['user-property', ...Object.keys(IDENTIFIERS[packet])].join(', ');
    throw new CliUsageError(
      `-D ${packet} ${identifier}: unknown property; ${packet} accepts ${known}`,
      command,
    );
  }
  const raw = values[0] ?? '';
  const target = set[packet] as Record<string, unknown>;
  switch (spec.kind) {
    case 'string':
      target[spec.field] = raw;
      return;
    case 'binary':
      // As in mosquitto, the value is taken as a string and sent as its UTF-8 bytes.
      target[spec.field] = new TextEncoder().encode(raw);
      return;
    default: {
      const max = MAX[spec.kind];
      const min = spec.kind === 'varint' ? 1 : 0;
      if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
        throw new CliUsageError(
          `-D ${packet} ${id} ${raw}: expected an integer from ${min} to ${max}`,
          command,
        );
      }
      const n = Number(raw);
      target[spec.field] = spec.kind === 'u8bool' ? n === 1 : n;
    }
  }
}

/** True when `set` holds at least one property (so MQTT 5 is needed). */
export function hasProperties(set: PropertySet): boolean {
  return Object.values(set).some((props) => Object.keys(props).length > 0);
}
