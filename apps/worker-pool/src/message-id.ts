// The message id the publisher puts in a user property: the key of idempotent processing. A
// broker's packet id is no such key: it is per link and reused, and a QoS 1 message resent to
// another session (EMQX, or any broker following MQTT 5's SHOULD) gets a new one.
import type { Message, UserProperties } from '@mqttkit/client';

/** The user property naming a message across publisher, broker and every consumer. */
export const MESSAGE_ID_PROPERTY = 'msg-id';

/** User properties carrying `id`, for `publish(..., { properties: { userProperties } })`. */
export function messageIdProperties(id: string): UserProperties {
  return { [MESSAGE_ID_PROPERTY]: id };
}

/** The publisher's id of `message`, or undefined when it carries none. */
export function messageId(message: Message): string | undefined {
  const value = message.properties?.userProperties?.[MESSAGE_ID_PROPERTY];
  return Array.isArray(value) ? value[0] : value;
}
