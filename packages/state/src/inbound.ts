/**
 * What the client may do with the broker's packets, and with `end()`, in each state: the rules
 * the client used to re-derive from the state type. Beside `outbound(state)`, so the client asks
 * the machine instead of reading state types itself.
 */
import type { State } from './states.js';

/** What a received packet may do in a state: `inbound()`'s answer. */
export type InboundDecision =
  /**
   * The transport is open and CONNECT was sent: only the packets that may precede CONNACK are
   * read (CONNACK, AUTH during enhanced authentication, an MQTT 5 DISCONNECT) [MQTT-3.2.0-1].
   */
  | 'handshake'
  /** Connected: every packet the protocol allows a broker to send is read. */
  | 'session'
  /**
   * No link the client still reads: a late packet of a transport being closed, whose events the
   * machine would ignore anyway. Dropped unread.
   */
  | 'drop';

/** A string rather than an object: it is asked once per received packet. */
export function inbound(state: State): InboundDecision {
  switch (state.type) {
    case 'awaitingConnack':
      return 'handshake';
    case 'connected':
      return 'session';
    default:
      return 'drop';
  }
}

/**
 * Nothing runs (no transport, no timer) and nothing will until `connect`: `end` has nothing to
 * stop, so an `end()` call settles at once.
 */
export function isStopped(state: State): boolean {
  return state.type === 'idle' || state.type === 'closed';
}
