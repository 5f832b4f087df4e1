/**
 * Building blocks of the table's handlers. A handler returns a `Step`: the next state plus the
 * effects and client events specific to this transition. `transition` adds the effects every
 * entry into or exit from a state needs, so no handler can forget a timer.
 */
import {
  type CloseCause,
  type CloseReason,
  type ProtocolViolationCode,
  withDecision,
} from './close-reason.js';
import type { ClientEvent, Effect } from './effects.js';
import type { EndEvent, TransportClosedEvent } from './events.js';
import { shouldReconnect } from './reconnect.js';
import type { ConnectSettings } from './settings.js';
import type {
  AwaitingConnackState,
  ConnectedState,
  ConnectingState,
  DisconnectingNext,
  DisconnectingState,
  State,
} from './states.js';
import { linkVersion } from './version.js';

/** What one rule of the transition table returns. */
export type Step =
  | {
      readonly status: 'applied';
      readonly state: State;
      readonly effects: readonly Effect[];
      readonly emits: readonly ClientEvent[];
      /** The close reason behind this transition, for the `state` event. */
      readonly reason?: CloseReason;
    }
  | { readonly status: 'ignored'; readonly why: string };

/** States that own a transport which has not been asked to close. */
export type LinkState = ConnectingState | AwaitingConnackState | ConnectedState;

export function applied(
  state: State,
  effects: readonly Effect[] = [],
  emits: readonly ClientEvent[] = [],
  reason?: CloseReason,
): Step {
  return reason === undefined
    ? { status: 'applied', state, effects, emits }
    : { status: 'applied', state, effects, emits, reason };
}

export function ignored(why: string): Step {
  return { status: 'ignored', why };
}

function attemptOf(state: LinkState): number {
  return state.type === 'connected' ? 0 : state.attempt;
}

/** Reconnect or stop after `cause`, given `attempt` failures so far. */
export function planNext(
  cause: CloseCause,
  settings: ConnectSettings,
  attempt: number,
): DisconnectingNext {
  return shouldReconnect(cause, settings.reconnect, attempt + 1) ? 'reconnect' : 'stop';
}

/** We close the link ourselves: run `effects` (a DISCONNECT), close, and wait in `disconnecting`. */
export function startClosing(
  from: LinkState,
  cause: CloseCause,
  force: boolean,
  effects: readonly Effect[] = [],
  next: DisconnectingNext = planNext(cause, from.settings, attemptOf(from)),
): Step {
  const attempt = attemptOf(from);
  const to: DisconnectingState = {
    type: 'disconnecting',
    settings: from.settings,
    cause,
    next,
    force,
    attempt,
    serverIndex: from.serverIndex,
  };
  const reason = withDecision(cause, next === 'reconnect');
  const emits: ClientEvent[] = from.type === 'connected' ? [{ type: 'offline', reason }] : [];
  return applied(to, [...effects, { type: 'closeTransport', force }], emits, reason);
}

/** The transport has closed: go where `next` says and report the close. */
export function afterTransportClosed(
  from: LinkState | DisconnectingState,
  cause: CloseCause,
  next: DisconnectingNext,
): Step {
  const reason = withDecision(cause, next === 'reconnect');
  const emits: ClientEvent[] = [];
  if (from.type === 'connected') emits.push({ type: 'offline', reason });
  emits.push({ type: 'close', reason });
  const { settings } = from;
  let to: State;
  if (next === 'reconnect') {
    // Round robin across the servers: each retry moves to the next one.
    const attempt = from.type === 'connected' ? 1 : from.attempt + 1;
    const serverIndex = (from.serverIndex + 1) % settings.serverCount;
    to = { type: 'reconnectWait', settings, attempt, serverIndex, reason };
  } else if (next === 'connect') {
    to = { type: 'connecting', settings, attempt: 0, serverIndex: 0 };
  } else {
    to = { type: 'closed', reason };
  }
  return applied(to, [], emits, reason);
}

/** The transport closed by itself while we still used it. */
export function linkLost(from: LinkState, event: TransportClosedEvent): Step {
  const { error } = event;
  const cause: CloseCause =
    error === undefined
      ? { type: 'transport-closed', initiator: 'network' }
      : {
          type: 'transport-error',
          initiator: 'network',
          error,
          retryable: event.retryable !== false,
        };
  return afterTransportClosed(from, cause, planNext(cause, from.settings, attemptOf(from)));
}

export function localEnd(event: EndEvent): CloseCause {
  return { type: 'local-end', initiator: 'local', force: event.force ?? false };
}

/** `end()` on a live link: DISCONNECT then close, or close at once when forced or not yet open. */
export function endLink(from: LinkState, event: EndEvent): Step {
  const cause = localEnd(event);
  if (event.force === true || from.type === 'connecting') return startClosing(from, cause, true);
  // [MQTT-3.14.4-1] after sending DISCONNECT the client closes the network connection.
  return startClosing(from, cause, false, [
    { type: 'sendDisconnect', reasonCode: event.reasonCode ?? 0x00 },
  ]);
}

/**
 * `reconnect()` while connected: the graceful close `end()` makes (DISCONNECT 0x00, so the broker
 * drops the Will [MQTT-3.14.4-3]), then a new link with `settings` once the transport has closed.
 */
export function reconnectLink(from: ConnectedState, settings: ConnectSettings): Step {
  const step = endLink(from, { type: 'end' });
  if (step.status !== 'applied' || step.state.type !== 'disconnecting') return step;
  return { ...step, state: { ...step.state, next: 'connect', settings } };
}

/** We found the broker's data malformed or against the protocol. */
export function protocolViolation(
  from: AwaitingConnackState | ConnectedState,
  reasonCode: ProtocolViolationCode,
  message: string,
): Step {
  const cause: CloseCause = { type: 'protocol-violation', initiator: 'local', reasonCode, message };
  if (linkVersion(from.settings, from.serverIndex) === 5) {
    // MQTT 5 lets the client say why before closing (section 4.13); the close is graceful so the
    // DISCONNECT is flushed.
    return startClosing(from, cause, false, [{ type: 'sendDisconnect', reasonCode }]);
  }
  // MQTT 3.1.1 DISCONNECT means "normal end" and would discard the Will: close without it.
  return startClosing(from, cause, true);
}
