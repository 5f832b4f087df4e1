/**
 * `transition(state, event)`: the only way the connection state changes. Pure: it returns the next
 * state and the effects to run, and runs nothing. Around each handler's own effects it adds the
 * ones every exit from or entry into a state needs, so timers and keepalive cannot leak.
 */
import { CLOSE_REASON_TYPES, PROTOCOL_VIOLATION_CODES } from './close-reason.js';
import type { ClientEvent, Effect } from './effects.js';
import { InvalidInputError, UnexpectedEventError } from './errors.js';
import { EVENT_TYPES, type Event, type EventType } from './events.js';
import { normalizeSettings } from './settings.js';
import { STATE_TYPES, type State, type StateType } from './states.js';
import type { Step } from './steps.js';
import { RULES } from './table.js';

/** What `transition()` returns: applied (new state and effects), ignored or rejected. */
export type TransitionResult =
  /** The event applied (possibly a self-transition with no state type change). */
  | { readonly status: 'applied'; readonly state: State; readonly effects: readonly Effect[] }
  /** Expected in this state and deliberately without effect (a race, a repeated call). */
  | {
      readonly status: 'ignored';
      readonly state: State;
      readonly effects: readonly [];
      readonly reason: string;
    }
  /** Cannot happen if the runner keeps its contract; the state is unchanged. */
  | {
      readonly status: 'rejected';
      readonly state: State;
      readonly effects: readonly [];
      readonly reason: string;
      readonly error: UnexpectedEventError;
    };

/** The state machine: the next state and the effects to run for `event` in `state`. Pure. */
export function transition(state: State, event: Event): TransitionResult {
  assertState(state);
  assertEvent(event);
  const rule = RULES[state.type][event.type];
  if (rule.kind === 'ignore') return { status: 'ignored', state, effects: [], reason: rule.why };
  if (rule.kind === 'reject') {
    const error = new UnexpectedEventError(state.type, event.type, rule.why);
    return { status: 'rejected', state, effects: [], reason: rule.why, error };
  }
  // The table is typed per (state, event) cell; indexing it with the runtime pair loses that
  // correlation, which the lookup above guarantees.
  const run = rule.run as (s: State, e: Event) => Step;
  const step = run(state, event);
  if (step.status === 'ignored') {
    return { status: 'ignored', state, effects: [], reason: step.why };
  }
  return { status: 'applied', state: step.state, effects: assemble(state, step) };
}

const CONNECT_TIMER_STATES: ReadonlySet<StateType> = new Set(['connecting', 'awaitingConnack']);

function assemble(from: State, step: Extract<Step, { status: 'applied' }>): Effect[] {
  const to = step.state;
  const effects: Effect[] = [];
  const emits: ClientEvent[] = [];
  // Exits first: nothing of the old state survives into the new one.
  if (from.type === 'connected' && to.type !== 'connected') effects.push({ type: 'stopKeepalive' });
  if (CONNECT_TIMER_STATES.has(from.type) && !CONNECT_TIMER_STATES.has(to.type)) {
    effects.push({ type: 'cancelConnectTimer' });
  }
  if (from.type === 'reconnectWait' && to.type !== 'reconnectWait') {
    effects.push({ type: 'cancelReconnect' });
  }
  effects.push(...step.effects);
  // Entries: each state starts what it owns.
  if (to.type !== from.type) {
    switch (to.type) {
      case 'connecting':
        effects.push({ type: 'openTransport', serverIndex: to.serverIndex, attempt: to.attempt });
        effects.push({ type: 'startConnectTimer' });
        break;
      case 'connected':
        effects.push({ type: 'startKeepalive' }, { type: 'flushQueue' });
        break;
      case 'reconnectWait':
        effects.push({
          type: 'scheduleReconnect',
          attempt: to.attempt,
          serverIndex: to.serverIndex,
        });
        break;
      case 'closed':
        effects.push({ type: 'rejectPending', reason: to.reason });
        break;
      default:
        break;
    }
    const change: ClientEvent =
      step.reason === undefined
        ? { type: 'state', from: from.type, to: to.type }
        : { type: 'state', from: from.type, to: to.type, reason: step.reason };
    emits.push(change);
  }
  emits.push(...step.emits);
  if (to.type === 'closed' && from.type !== 'closed')
    emits.push({ type: 'end', reason: to.reason });
  for (const event of emits) effects.push({ type: 'emit', event });
  return effects;
}

function fail(message: string): never {
  throw new InvalidInputError(message);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isByte(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0xff;
}

function assertState(state: unknown): asserts state is State {
  if (!isObject(state) || !STATE_TYPES.includes(state.type as StateType)) {
    fail(`not a connection state: ${describe(state)}`);
  }
  if (state.type === 'closed' || state.type === 'reconnectWait') {
    const reason = state.reason;
    if (!isObject(reason) || !CLOSE_REASON_TYPES.includes(reason.type as never)) {
      fail(`state "${state.type}" has no valid close reason`);
    }
  }
}

/** Programmer errors only: shapes the types already forbid, checked for callers in plain JS. */
function assertEvent(event: unknown): asserts event is Event {
  if (!isObject(event) || !EVENT_TYPES.includes(event.type as EventType)) {
    fail(`not a connection event: ${describe(event)}`);
  }
  const e = event as unknown as Event;
  switch (e.type) {
    case 'connect':
    case 'reconnectNow':
      normalizeSettings(e);
      break;
    case 'end':
      if (e.force !== undefined && typeof e.force !== 'boolean') fail('end.force must be boolean');
      if (e.reasonCode !== undefined && !isByte(e.reasonCode)) {
        fail('end.reasonCode must be a byte');
      }
      break;
    case 'connackAccepted':
      if (typeof e.sessionPresent !== 'boolean') fail('sessionPresent must be boolean');
      break;
    case 'connackRefused':
      if (!isByte(e.reasonCode) || e.reasonCode === 0) {
        fail('connackRefused.reasonCode must be a byte > 0');
      }
      break;
    case 'brokerDisconnect':
      if (!isByte(e.reasonCode)) fail('brokerDisconnect.reasonCode must be a byte');
      if (e.reasonString !== undefined && typeof e.reasonString !== 'string') {
        fail('brokerDisconnect.reasonString must be a string');
      }
      break;
    case 'protocolViolation':
      if (!PROTOCOL_VIOLATION_CODES.includes(e.reasonCode)) {
        const codes = PROTOCOL_VIOLATION_CODES.map((c) => `0x${c.toString(16)}`).join(', ');
        fail(`protocolViolation.reasonCode must be one of ${codes}`);
      }
      if (typeof e.message !== 'string') fail('protocolViolation.message must be a string');
      break;
    default:
      break;
  }
}

function describe(value: unknown): string {
  if (isObject(value)) return `{ type: ${String(value.type)} }`;
  return typeof value;
}
