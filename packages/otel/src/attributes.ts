/**
 * The attribute names this package writes. The `messaging.*`, `server.*` and `error.type` names
 * are OpenTelemetry's messaging semantic conventions (development status); what MQTT adds that
 * the conventions have no name for lives under `messaging.mqtt.*`, as other systems' specifics
 * do (`messaging.kafka.*`, `messaging.rabbitmq.*`). `mqtt` as a `messaging.system` value is an
 * open proposal of the conventions.
 */

/** `messaging.system`: always {@link MESSAGING_SYSTEM}. */
export const ATTR_MESSAGING_SYSTEM = 'messaging.system';
/** The value of `messaging.system`. */
export const MESSAGING_SYSTEM = 'mqtt';
/** `send` or `process`. */
export const ATTR_OPERATION_NAME = 'messaging.operation.name';
/** `send` or `process`. */
export const ATTR_OPERATION_TYPE = 'messaging.operation.type';
/** The topic of the message. */
export const ATTR_DESTINATION_NAME = 'messaging.destination.name';
/** The low-cardinality name of the destination (a topic filter), when `destination` gives one. */
export const ATTR_DESTINATION_TEMPLATE = 'messaging.destination.template';
/** The MQTT client identifier. */
export const ATTR_CLIENT_ID = 'messaging.client.id';
/** The `$share` group of the subscription that matched (consumers). */
export const ATTR_CONSUMER_GROUP = 'messaging.consumer.group.name';
/** The payload's size in bytes (never its content). */
export const ATTR_BODY_SIZE = 'messaging.message.body.size';
/** The broker's host name or address. */
export const ATTR_SERVER_ADDRESS = 'server.address';
/** The broker's port. */
export const ATTR_SERVER_PORT = 'server.port';
/** What went wrong: a client error's `code`, or the close reason's type. */
export const ATTR_ERROR_TYPE = 'error.type';

/** QoS of the PUBLISH: 0, 1 or 2. */
export const ATTR_MQTT_QOS = 'messaging.mqtt.qos';
/** RETAIN flag of the PUBLISH. */
export const ATTR_MQTT_RETAIN = 'messaging.mqtt.retain';
/** DUP flag of a received PUBLISH (a redelivery). */
export const ATTR_MQTT_DUP = 'messaging.mqtt.dup';
/** Packet identifier of a QoS 1/2 PUBLISH. */
export const ATTR_MQTT_PACKET_ID = 'messaging.mqtt.packet_id';
/** Reason code of PUBACK/PUBREC/PUBCOMP (MQTT 5; 0 under 3.1.1). */
export const ATTR_MQTT_REASON_CODE = 'messaging.mqtt.reason_code';
/** 4 (3.1.1) or 5. */
export const ATTR_MQTT_PROTOCOL_VERSION = 'messaging.mqtt.protocol_version';
/** The close reason (`CloseReason.type`) of a link lost with the publish in flight; of a close. */
export const ATTR_MQTT_CLOSE_REASON = 'messaging.mqtt.close_reason';
/** Whether the publish had been written when its link was lost (the broker may have it). */
export const ATTR_MQTT_INFLIGHT = 'messaging.mqtt.inflight';
/** The client's connection state (`client.state`). */
export const ATTR_MQTT_STATE = 'messaging.mqtt.connection.state';
