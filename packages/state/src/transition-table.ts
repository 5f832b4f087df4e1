/**
 * `TRANSITION_TABLE`: the rules `transition` runs (table.ts), each applied one with the states it
 * can lead to and one line on what it does. The README's diagram and matrix and the dashboard's
 * graph are drawn from it. Kept apart from the rules so that apps which only run the machine do
 * not ship this text.
 */
import { EVENT_TYPES, type EventOf, type EventType } from './events.js';
import { STATE_TYPES, type StateOf, type StateType } from './states.js';
import type { Step } from './steps.js';
import { RULES } from './table.js';

/** One rule of the transition table: what an event does in a state. */
export type Rule<S extends StateType, E extends EventType> =
  | { readonly kind: 'ignore'; readonly why: string }
  | { readonly kind: 'reject'; readonly why: string }
  | {
      readonly kind: 'apply';
      /** Every state type the handler can return (its own type for a self-transition). */
      readonly to: readonly StateType[];
      /** One line for the README. */
      readonly note: string;
      /** Computes the step. */
      readonly run: (state: StateOf<S>, event: EventOf<E>) => Step;
    };

/** The type of `TRANSITION_TABLE`. */
export type TransitionTable = {
  readonly [S in StateType]: { readonly [E in EventType]: Rule<S, E> };
};

interface Doc {
  readonly to: readonly StateType[];
  readonly note: string;
}

/** Exactly the applied cells of `RULES`: a missing or extra entry does not compile. */
type Docs = {
  readonly [S in StateType]: {
    readonly [E in EventType as (typeof RULES)[S][E]['kind'] extends 'apply' ? E : never]: Doc;
  };
};

const DOCS: Docs = {
  idle: {
    connect: { to: ['connecting'], note: 'open server 0' },
    reconnectNow: { to: ['connecting'], note: 'open server 0' },
  },
  connecting: {
    end: { to: ['disconnecting'], note: 'close the opening transport' },
    abort: { to: ['disconnecting'], note: 'close the opening transport' },
    transportOpened: { to: ['awaitingConnack'], note: 'send CONNECT' },
    transportClosed: { to: ['reconnectWait', 'closed'], note: 'the open failed' },
    connectTimeout: { to: ['disconnecting'], note: 'abort the open' },
  },
  awaitingConnack: {
    end: { to: ['disconnecting'], note: 'DISCONNECT (unless forced), close' },
    abort: { to: ['disconnecting'], note: 'close' },
    transportClosed: { to: ['reconnectWait', 'closed'], note: 'closed before CONNACK' },
    connackAccepted: { to: ['connected'], note: 'start keepalive, flush the queue' },
    connackRefused: { to: ['disconnecting'], note: 'close (the broker closes too)' },
    brokerDisconnect: { to: ['disconnecting'], note: 'close' },
    protocolViolation: {
      to: ['disconnecting'],
      note: 'DISCONNECT with the violation code (MQTT 5), close',
    },
    connectTimeout: { to: ['disconnecting'], note: 'close' },
  },
  connected: {
    reconnectNow: { to: ['disconnecting'], note: 'DISCONNECT, close, then a new link' },
    end: { to: ['disconnecting'], note: 'DISCONNECT (unless forced), close' },
    transportClosed: { to: ['reconnectWait', 'closed'], note: 'link lost' },
    connackAccepted: { to: ['disconnecting'], note: 'protocol error' },
    connackRefused: { to: ['disconnecting'], note: 'protocol error' },
    brokerDisconnect: { to: ['disconnecting'], note: 'close' },
    protocolViolation: {
      to: ['disconnecting'],
      note: 'DISCONNECT with the violation code (MQTT 5), close',
    },
    keepaliveDead: { to: ['disconnecting'], note: 'destroy the silent link' },
  },
  disconnecting: {
    connect: { to: ['disconnecting'], note: 'connect again once closed' },
    reconnectNow: { to: ['disconnecting'], note: 'connect again once closed' },
    end: { to: ['disconnecting'], note: 'stop once closed; force destroys' },
    abort: { to: ['disconnecting'], note: 'stop once closed' },
    transportClosed: {
      to: ['closed', 'reconnectWait', 'connecting'],
      note: 'closed: stop, wait, or connect',
    },
  },
  reconnectWait: {
    connect: { to: ['connecting'], note: 'retry now' },
    reconnectNow: { to: ['connecting'], note: 'retry now' },
    end: { to: ['closed'], note: 'cancel the retry' },
    abort: { to: ['closed'], note: 'cancel the retry' },
    reconnectTimer: { to: ['connecting'], note: 'open the next server' },
  },
  closed: {
    connect: { to: ['connecting'], note: 'open server 0' },
    reconnectNow: { to: ['connecting'], note: 'open server 0' },
  },
};

function documented(): TransitionTable {
  const table: Record<string, Record<string, object>> = {};
  for (const s of STATE_TYPES) {
    const row: Record<string, object> = {};
    const docs: Readonly<Record<string, Doc>> = DOCS[s];
    for (const e of EVENT_TYPES) {
      const rule: { readonly kind: string } = RULES[s][e];
      row[e] = rule.kind === 'apply' ? { ...rule, ...docs[e] } : rule;
    }
    table[s] = row;
  }
  // Each cell is its RULES cell, plus its DOCS entry when applied (`Docs` has exactly those).
  return table as unknown as TransitionTable;
}

/** The rules `transition()` runs, per state and event. */
export const TRANSITION_TABLE: TransitionTable = /* @__PURE__ */ documented();
