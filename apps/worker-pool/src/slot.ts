// A slot is one seat of the consumer group. Its identity outlives the processes that fill it:
// the same client id on every restart, so the broker hands the new process the session (and the
// QoS 1 messages held in it) that the crashed one left behind. mosquitto keeps in-flight
// messages with the member's session rather than re-dispatching them (mosquitto #2662), so a
// slot that never comes back strands its share of the stream until its session expires.
import type { ClientOptions } from '@mqttkit/client';

/** What every member of one group shares. */
export interface GroupSettings {
  /** Broker URL, e.g. `mqtt://127.0.0.1:1883`. */
  url: string;
  /** Share name: the `<group>` of `$share/<group>/<filter>`, also the prefix of client ids. */
  group: string;
  /** Topic filter the group consumes, e.g. `telemetry/#`. */
  filter: string;
  /**
   * MQTT 5 Receive Maximum each worker announces: the most unacknowledged QoS 1 messages the
   * broker may hand it at once. With `ackAfterHandler` this is the number of messages in hand.
   */
  receiveMaximum: number;
  /**
   * Session Expiry Interval, seconds: how long the broker keeps a slot's session (its
   * subscription and the messages held for it) after its process is gone.
   */
  sessionExpiry: number;
}

/** The client id of a slot: stable across restarts, so its session comes back. */
export function slotClientId(group: string, slot: number): string {
  return `${group}-slot-${slot}`;
}

/** The shared subscription filter of a group [MQTT-4.8.2-1]. */
export function sharedFilter(group: string, filter: string): string {
  return `$share/${group}/${filter}`;
}

/** Client options for one slot: a persistent MQTT 5 session, acks after the handler. */
export function slotClientOptions(settings: GroupSettings, slot: number): ClientOptions {
  return {
    url: settings.url,
    protocolVersion: 5,
    clientId: slotClientId(settings.group, slot),
    // Clean Start 0 plus a Session Expiry: a restarted process resumes the slot's session, and
    // the broker resends the QoS 1 messages the dead one never acknowledged [MQTT-4.4.0-1].
    clean: false,
    sessionExpiryInterval: settings.sessionExpiry,
    receiveMaximum: settings.receiveMaximum,
    // The PUBACK leaves only once the handler settled: a message is never acknowledged before
    // it was processed, and the Receive Maximum bounds how many a worker holds.
    ackAfterHandler: true,
    keepalive: 10,
    reconnect: { initialDelay: 100, maxDelay: 2000 },
  };
}
