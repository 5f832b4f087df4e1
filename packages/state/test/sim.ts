/**
 * A tiny simulated runner for the tests: it executes the machine's effects against a fake world
 * (one transport slot, three timers, the keepalive engine) and checks, after every step, that the
 * world and the state agree. Any disagreement is a leak or an impossible effect.
 */
import {
  type ClientEvent,
  type Effect,
  type Event,
  outbound,
  STATE_TYPES,
  type State,
  TRANSITION_TABLE,
  type TransitionResult,
  transition,
} from '../src/index.js';

type Timer = 'off' | 'on' | 'fired';
type TransportResult = TransitionResult;

export interface Transport {
  opened: boolean;
  connectSent: boolean;
  closeRequested: boolean;
}

export class World {
  state: State;
  transport: Transport | null = null;
  connectTimer: Timer = 'off';
  keepalive: Timer = 'off';
  reconnectTimer: Timer = 'off';
  /** Set by an applied `end` or `abort`, cleared by an applied `connect` or `reconnectNow`. */
  localEnd = false;
  emitted: ClientEvent[] = [];
  effects: Effect[] = [];
  results: TransitionResult[] = [];
  transportsOpened = 0;
  /** `from/event->to` of every applied transition, for coverage checks. */
  readonly visits = new Set<string>();
  rejectPendingCount = 0;

  constructor(state: State) {
    this.state = state;
  }

  /** Feeds one event through `transition`, runs the effects, and checks every invariant. */
  deliver(event: Event): TransitionResult {
    const before = deepFreeze(this.state);
    if (event.type === 'connectTimeout' && this.connectTimer === 'on') this.connectTimer = 'fired';
    if (event.type === 'reconnectTimer' && this.reconnectTimer === 'on') {
      this.reconnectTimer = 'fired';
    }
    const result = transition(before, event);
    this.results.push(result);
    const rule = TRANSITION_TABLE[before.type][event.type];
    if (result.status !== 'applied') {
      check(result.state === before, 'a non-applied result changed the state');
      check(result.effects.length === 0, 'a non-applied result has effects');
      check(
        rule.kind !== 'apply' || result.status === 'ignored',
        `${before.type}/${event.type}: an apply rule may only decline by ignoring`,
      );
      if (result.status === 'rejected') {
        check(rule.kind === 'reject', 'rejected without a reject rule');
        check(result.error.code === 'MQTTKIT_ERR_STATE_UNEXPECTED_EVENT', 'rejected error code');
      }
      this.restoreFiredTimers();
      return result;
    }
    check(rule.kind === 'apply', `${before.type}/${event.type} applied without an apply rule`);
    if (rule.kind === 'apply') {
      check(
        rule.to.includes(result.state.type),
        `${before.type}/${event.type} went to ${result.state.type}, not in the table's ${rule.to.join(',')}`,
      );
    }
    this.visits.add(`${before.type}/${event.type}->${result.state.type}`);
    if (event.type === 'end' || event.type === 'abort') this.localEnd = true;
    // `reconnectNow` starts a connection as `connect` does.
    if (event.type === 'connect' || event.type === 'reconnectNow') this.localEnd = false;
    this.state = result.state;
    const emittedBefore = this.emitted.length;
    for (const effect of result.effects) this.run(effect);
    this.checkInvariants(before, event, this.emitted.slice(emittedBefore));
    return result;
  }

  /** The transport reports open (it must be opening). */
  opened(): TransportResult {
    check(this.transport !== null && !this.transport.opened, 'no opening transport');
    this.transport.opened = true;
    return this.deliver({ type: 'transportOpened' });
  }

  /** The transport's one close notification. */
  closed(error?: unknown): TransportResult {
    check(this.transport !== null, 'no transport to close');
    this.transport = null;
    return this.deliver(
      error === undefined ? { type: 'transportClosed' } : { type: 'transportClosed', error },
    );
  }

  /** A fired timer event the machine ignored: the timer is simply gone. */
  private restoreFiredTimers(): void {
    if (this.connectTimer === 'fired') this.connectTimer = 'off';
    if (this.reconnectTimer === 'fired') this.reconnectTimer = 'off';
  }

  private run(effect: Effect): void {
    this.effects.push(effect);
    switch (effect.type) {
      case 'openTransport':
        check(this.transport === null, 'openTransport while a transport exists');
        check(!this.localEnd, 'a transport was opened after a local end');
        this.transport = { opened: false, connectSent: false, closeRequested: false };
        this.transportsOpened++;
        break;
      case 'closeTransport':
        check(this.transport !== null, 'closeTransport without a transport');
        if (this.transport) this.transport.closeRequested = true;
        break;
      case 'sendConnect':
        check(this.transport?.opened === true, 'CONNECT on a transport that is not open');
        check(this.transport?.closeRequested === false, 'CONNECT on a closing transport');
        if (this.transport) this.transport.connectSent = true;
        break;
      case 'sendDisconnect':
        check(this.transport?.opened === true, 'DISCONNECT on a transport that is not open');
        check(this.transport?.closeRequested === false, 'DISCONNECT after closeTransport');
        break;
      case 'startConnectTimer':
        check(this.connectTimer === 'off', 'a second connect timer');
        this.connectTimer = 'on';
        break;
      case 'cancelConnectTimer':
        check(this.connectTimer !== 'off', 'cancelConnectTimer without a connect timer');
        this.connectTimer = 'off';
        break;
      case 'startKeepalive':
        check(this.keepalive === 'off', 'a second keepalive');
        this.keepalive = 'on';
        break;
      case 'stopKeepalive':
        check(this.keepalive === 'on', 'stopKeepalive without keepalive');
        this.keepalive = 'off';
        break;
      case 'scheduleReconnect':
        check(this.reconnectTimer === 'off', 'a second reconnect timer');
        check(!this.localEnd, 'a reconnect was scheduled after a local end');
        check(effect.attempt >= 1, 'reconnect attempts start at 1');
        this.reconnectTimer = 'on';
        break;
      case 'cancelReconnect':
        check(this.reconnectTimer !== 'off', 'cancelReconnect without a reconnect timer');
        this.reconnectTimer = 'off';
        break;
      case 'flushQueue':
        check(this.state.type === 'connected', 'flushQueue while not connected');
        break;
      case 'rejectPending':
        check(this.state.type === 'closed', 'rejectPending outside closed');
        this.rejectPendingCount++;
        break;
      case 'emit':
        this.emitted.push(effect.event);
        break;
    }
  }

  private checkInvariants(before: State, event: Event, emits: ClientEvent[]): void {
    const s = this.state;
    check(STATE_TYPES.includes(s.type), `unknown state ${String(s.type)}`);
    const connecting = s.type === 'connecting' || s.type === 'awaitingConnack';
    check(this.connectTimer === (connecting ? 'on' : 'off'), `connect timer leaked in ${s.type}`);
    check(this.keepalive === (s.type === 'connected' ? 'on' : 'off'), `keepalive in ${s.type}`);
    check(
      this.reconnectTimer === (s.type === 'reconnectWait' ? 'on' : 'off'),
      `reconnect timer in ${s.type}`,
    );
    const hasTransport = connecting || s.type === 'connected' || s.type === 'disconnecting';
    check((this.transport !== null) === hasTransport, `transport presence wrong in ${s.type}`);
    if (this.transport) {
      check(
        this.transport.closeRequested === (s.type === 'disconnecting'),
        `transport close request out of step in ${s.type}`,
      );
      if (s.type === 'awaitingConnack' || s.type === 'connected') {
        check(this.transport.opened && this.transport.connectSent, `${s.type} without CONNECT`);
      }
    }
    if (s.type === 'reconnectWait') check(!this.localEnd, 'reconnect wait after a local end');

    const changes = emits.filter((e) => e.type === 'state');
    if (before.type === s.type) {
      check(changes.length === 0, 'a state event without a state change');
    } else {
      check(changes.length === 1, 'exactly one state event per state change');
      const change = changes[0];
      check(
        change?.type === 'state' && change.from === before.type && change.to === s.type,
        'state event from/to',
      );
    }
    const ends = emits.filter((e) => e.type === 'end').length;
    const entersClosed = s.type === 'closed' && before.type !== 'closed';
    check(ends === (entersClosed ? 1 : 0), 'one end event per entry into closed');
    const closes = emits.filter((e) => e.type === 'close').length;
    check(
      closes === (event.type === 'transportClosed' ? 1 : 0),
      'one close event per closed transport',
    );
    const offline = emits.filter((e) => e.type === 'offline').length;
    const leftConnected = before.type === 'connected' && s.type !== 'connected';
    check(offline === (leftConnected ? 1 : 0), 'one offline event per exit from connected');
    for (const e of emits) {
      if (e.type === 'close' || e.type === 'offline' || e.type === 'end') {
        if (e.reason.willReconnect) check(!this.localEnd, 'willReconnect after a local end');
        if (e.type === 'end') check(!e.reason.willReconnect, 'end with willReconnect');
      }
    }
    const decision = outbound(s);
    check((decision.action === 'send') === (s.type === 'connected'), 'send only when connected');
  }
}

export function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(`invariant: ${message}`);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
