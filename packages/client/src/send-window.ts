/**
 * The MQTT 5 send quota: how many QoS 1/2 PUBLISH packets may be unacknowledged at once.
 *
 * The broker's CONNACK Receive Maximum (65535 when absent) caps them [MQTT-4.9.0-1]; at the cap
 * the client MUST NOT send another QoS > 0 PUBLISH [MQTT-4.9.0-2] [MQTT-3.3.4-7], but keeps
 * sending everything else, QoS 0 and acks included [MQTT-4.9.0-3] [MQTT-3.3.4-8]. So only QoS 1/2
 * PUBLISH calls `tryAcquire`, and the session calls `release` on every PUBACK or PUBCOMP
 * (failure codes included) and on a PUBREC with a code >= 0x80, which ends the flow.
 *
 * The quota is per connection: a new CONNACK starts a fresh window. Flows resent on it (PUBLISH
 * with DUP, or a PUBREL) should each acquire a slot, because the broker counts them until it sends
 * their PUBACK/PUBCOMP. Spec 4.9 warns that a resent PUBREL's PUBCOMP could push a quota above its
 * start; `release` saturates at zero so a stray ack can never widen the window.
 *
 * A plain counter: no queue of waiters (the caller decides what waits), no allocation.
 */

export interface SendWindow {
  /** Takes one slot; false (and nothing taken) when `inFlight >= max`. */
  tryAcquire(): boolean;
  /** Returns one slot. Below zero it does nothing: a stray ack must not widen the window. */
  release(): void;
  readonly inFlight: number;
}

/** Receive Maximum when the CONNACK omits it (spec 3.2.2.3.3), and the largest allowed. */
export const DEFAULT_RECEIVE_MAXIMUM = 65_535;

/**
 * `max` is the CONNACK's Receive Maximum, 1..65535: the codec refuses 0 (a Protocol Error) and
 * the property is a Two Byte Integer, so it is not checked again here.
 */
export function createSendWindow(max: number): SendWindow {
  let inFlight = 0;
  return {
    tryAcquire(): boolean {
      if (inFlight >= max) return false;
      inFlight++;
      return true;
    },
    release(): void {
      if (inFlight > 0) inFlight--;
    },
    get inFlight(): number {
      return inFlight;
    },
  };
}
