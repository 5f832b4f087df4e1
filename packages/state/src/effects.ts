/**
 * The outputs of the machine: data the client's runner executes in order. The runner stores the
 * new state before executing them, so a user callback run by an `emit` already sees it.
 */
import type { CloseReason } from './close-reason.js';
import type { StateType } from './states.js';

/** What the client tells its users (its `state`, `connect`, `offline`, `close`, `end` events). */
export type ClientEvent =
  /** Every change of state type. `reason` is set when a close caused it. */
  | {
      readonly type: 'state';
      readonly from: StateType;
      readonly to: StateType;
      readonly reason?: CloseReason;
    }
  /** CONNACK accepted. `attempt` is the retry number that succeeded (0: first try). */
  | {
      readonly type: 'connect';
      readonly sessionPresent: boolean;
      readonly serverIndex: number;
      readonly attempt: number;
    }
  /** The client left `connected`: it can no longer send. */
  | { readonly type: 'offline'; readonly reason: CloseReason }
  /** A transport closed (a link or a connection attempt ended). */
  | { readonly type: 'close'; readonly reason: CloseReason }
  /** The machine stopped (entered `closed`); nothing more happens until `connect`. */
  | { readonly type: 'end'; readonly reason: CloseReason };

/** What the host must do after a transition, in order. */
export type Effect =
  /** Open a transport to server `serverIndex`. Exactly one `transportClosed` must follow, always. */
  | { readonly type: 'openTransport'; readonly serverIndex: number; readonly attempt: number }
  /**
   * Close the current transport, open or still opening (abort the open). `force`: destroy without
   * flushing. The transport's close notification comes back as `transportClosed`. May be repeated
   * with `force: true` to escalate a graceful close.
   */
  | { readonly type: 'closeTransport'; readonly force: boolean }
  /** Encode and write CONNECT (the client owns its content). */
  | { readonly type: 'sendConnect' }
  /** Encode and write DISCONNECT (MQTT 3.1.1 has no reason code: drop it). */
  | { readonly type: 'sendDisconnect'; readonly reasonCode: number }
  /** Start the connect timer (connect timeout covers opening and CONNACK); it fires `connectTimeout`. */
  | { readonly type: 'startConnectTimer' }
  /** Clear the connect timer. Idempotent: it may already have fired. */
  | { readonly type: 'cancelConnectTimer' }
  /** Start the keepalive engine; its death fires `keepaliveDead`. */
  | { readonly type: 'startKeepalive' }
  /** Stop the keepalive engine. */
  | { readonly type: 'stopKeepalive' }
  /**
   * Start the reconnect timer for retry `attempt` (1, 2, ...) to `serverIndex`. The client computes
   * the delay (backoff with jitter) from `attempt`; it fires `reconnectTimer`.
   */
  | { readonly type: 'scheduleReconnect'; readonly attempt: number; readonly serverIndex: number }
  /** Clear the reconnect timer. Idempotent: it may already have fired. */
  | { readonly type: 'cancelReconnect' }
  /** Send what was queued while offline (and what the session resends). */
  | { readonly type: 'flushQueue' }
  /** Fail every pending operation (queued and in flight) with this reason. */
  | { readonly type: 'rejectPending'; readonly reason: CloseReason }
  /** Tell the user. */
  | { readonly type: 'emit'; readonly event: ClientEvent };

/** The `type` of an effect. */
export type EffectType = Effect['type'];
