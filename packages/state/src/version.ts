/**
 * Protocol version negotiation. A client that did not pin its version asks for MQTT 5; a server
 * that refuses it is remembered, and the links to it speak 3.1.1 from the next attempt on. The
 * settings carry what was learnt, so it lasts across reconnects until the next `connect`.
 */
import type { CloseCause } from './close-reason.js';
import type { ConnectSettings } from './settings.js';

/** MQTT 5 CONNACK reason code 0x84, Unsupported Protocol Version (section 3.2.2.2). */
const V5_UNSUPPORTED_PROTOCOL_VERSION = 0x84;
/** MQTT 3.1.1 CONNACK return code 1, unacceptable protocol level [MQTT-3.1.2-2] (3.1.1). */
const V4_UNACCEPTABLE_PROTOCOL_VERSION = 1;

/** The version a link to `serverIndex` speaks under `settings`. */
export function linkVersion(settings: ConnectSettings, serverIndex: number): 4 | 5 {
  return settings.refusedV5?.includes(serverIndex) === true ? 4 : settings.protocolVersion;
}

/** Whether `cause` is a broker refusing the Protocol Level of our CONNECT. */
export function isVersionRefusal(cause: CloseCause): boolean {
  return (
    cause.type === 'connack-refused' &&
    (cause.protocolVersion === 5
      ? cause.reasonCode === V5_UNSUPPORTED_PROTOCOL_VERSION
      : cause.reasonCode === V4_UNACCEPTABLE_PROTOCOL_VERSION)
  );
}

/**
 * The settings to retry with after `cause` on a link to `serverIndex`: the same with this server
 * marked as refusing MQTT 5, when the client negotiates, asked for 5 there, and may reconnect.
 * Undefined: no fallback, the refusal closes as any other.
 */
export function fallBackToV4(
  settings: ConnectSettings,
  serverIndex: number,
  cause: CloseCause,
): ConnectSettings | undefined {
  if (settings.negotiateVersion !== true || !settings.reconnect.enabled) return undefined;
  if (linkVersion(settings, serverIndex) !== 5 || !isVersionRefusal(cause)) return undefined;
  return { ...settings, refusedV5: [...(settings.refusedV5 ?? []), serverIndex] };
}

/**
 * `next` (the settings of a `reconnectNow`, or of a `connect` during a close) with the refusals
 * learnt under `previous`, when both negotiate over the same servers: the server is no more
 * likely to speak MQTT 5 than a moment ago, and asking again costs a round trip.
 */
export function keepRefusals(previous: ConnectSettings, next: ConnectSettings): ConnectSettings {
  const refusedV5 = previous.refusedV5;
  if (refusedV5 === undefined || next.negotiateVersion !== true) return next;
  if (previous.serverCount !== next.serverCount) return next;
  return { ...next, refusedV5 };
}
