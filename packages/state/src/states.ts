/**
 * The connection states. The machine is always in exactly one of them, and each carries the data
 * that only makes sense there (no flag outlives its state).
 */
import type { CloseCause, CloseReason } from './close-reason.js';
import type { ConnectSettings } from './settings.js';

/** Never connected. */
export interface IdleState {
  readonly type: 'idle';
}

/** A transport to `serverIndex` is opening. `attempt` is 0 for a user's connect, n for retry n. */
export interface ConnectingState {
  readonly type: 'connecting';
  readonly settings: ConnectSettings;
  readonly attempt: number;
  readonly serverIndex: number;
}

/** The transport is open and CONNECT was sent; waiting for CONNACK. */
export interface AwaitingConnackState {
  readonly type: 'awaitingConnack';
  readonly settings: ConnectSettings;
  readonly attempt: number;
  readonly serverIndex: number;
}

/** CONNACK accepted: packets flow, keepalive runs. */
export interface ConnectedState {
  readonly type: 'connected';
  readonly settings: ConnectSettings;
  readonly serverIndex: number;
  readonly sessionPresent: boolean;
}

/** What follows once the transport reports closed. */
export type DisconnectingNext =
  /** Stop: move to `closed`. */
  | 'stop'
  /** Wait for the reconnect timer (`reconnectWait`). */
  | 'reconnect'
  /** The user called `connect()` while we were closing: open a new transport right away. */
  | 'connect';

/**
 * We asked the transport to close (after DISCONNECT when the close is graceful) and wait for its
 * one close notification. Covers every close this client starts: `end()`, abort, keepalive
 * timeout, connect timeout, protocol violation, and the broker's DISCONNECT or CONNACK refusal.
 * Waiting here guarantees that at most one transport exists at any time.
 */
export interface DisconnectingState {
  readonly type: 'disconnecting';
  readonly settings: ConnectSettings;
  readonly cause: CloseCause;
  readonly next: DisconnectingNext;
  /** Whether the transport was asked to close without flushing. */
  readonly force: boolean;
  /** Failed attempts so far (0 when a connected link is closing); the next retry is attempt + 1. */
  readonly attempt: number;
  readonly serverIndex: number;
}

/** The link is gone; the reconnect timer runs. `attempt`/`serverIndex` describe the next try. */
export interface ReconnectWaitState {
  readonly type: 'reconnectWait';
  readonly settings: ConnectSettings;
  readonly attempt: number;
  readonly serverIndex: number;
  readonly reason: CloseReason;
}

/** Stopped for `reason`; nothing runs. `connect` starts over. */
export interface ClosedState {
  readonly type: 'closed';
  readonly reason: CloseReason;
}

/** The connection state: one value, told apart by `type`. */
export type State =
  | IdleState
  | ConnectingState
  | AwaitingConnackState
  | ConnectedState
  | DisconnectingState
  | ReconnectWaitState
  | ClosedState;

/** The `type` of a state. */
export type StateType = State['type'];

/** The state of a given type. */
export type StateOf<T extends StateType> = Extract<State, { type: T }>;

/** Every `StateType`. */
export const STATE_TYPES: readonly StateType[] = [
  'idle',
  'connecting',
  'awaitingConnack',
  'connected',
  'disconnecting',
  'reconnectWait',
  'closed',
];

/** The state a new client starts in. */
export function initialState(): IdleState {
  return { type: 'idle' };
}
