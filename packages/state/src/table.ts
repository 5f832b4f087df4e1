/**
 * The rules `transition` runs: for every state and every event, what happens. `apply` rules compute
 * the step; `ignore` rules are expected races and repeated calls; `reject` rules are events that
 * cannot happen while the runner keeps its contract. No (state, event) pair is left undefined.
 * `TRANSITION_TABLE` (transition-table.ts) publishes these rules with what each applied one is
 * for, the README's diagram and matrix; that text stays out of this module so that apps running
 * the machine do not ship it.
 */
import { type CloseCause, withDecision } from './close-reason.js';
import type {
  BrokerDisconnectEvent,
  EventOf,
  EventType,
  ProtocolViolationEvent,
} from './events.js';
import { type ConnectOptions, normalizeSettings } from './settings.js';
import type {
  AwaitingConnackState,
  ConnectedState,
  DisconnectingState,
  ReconnectWaitState,
  StateOf,
  StateType,
} from './states.js';
import {
  afterTransportClosed,
  applied,
  endLink,
  ignored,
  type LinkState,
  linkLost,
  localEnd,
  protocolViolation,
  reconnectLink,
  type Step,
  startClosing,
} from './steps.js';
import { fallBackToV4, keepRefusals, linkVersion } from './version.js';

export type RunRule<S extends StateType, E extends EventType> =
  | { readonly kind: 'ignore'; readonly why: string }
  | { readonly kind: 'reject'; readonly why: string }
  | { readonly kind: 'apply'; readonly run: (state: StateOf<S>, event: EventOf<E>) => Step };

type Rules = { readonly [S in StateType]: { readonly [E in EventType]: RunRule<S, E> } };

const ignore = (why: string) => ({ kind: 'ignore', why }) as const;
const reject = (why: string) => ({ kind: 'reject', why }) as const;

const NO_TRANSPORT = reject('no transport in this state');
const NOT_OPEN = reject('the transport is not open yet');
const ALREADY_OPEN = reject('the transport is already open');
const LATE_PACKET = ignore('late packet of a closing transport');
const STALE_TIMER = ignore('stale timer');
const NEVER_STARTED = reject('no timer was ever started');

// Applied rules that several states share.
const START = {
  kind: 'apply',
  run: (_s: unknown, e: ConnectOptions) =>
    applied({ type: 'connecting', settings: normalizeSettings(e), attempt: 0, serverIndex: 0 }),
} as const;
// A connect (or reconnect) during a close we started: a new link follows it, unless one already
// will.
const CONNECT_AFTER_CLOSE = {
  kind: 'apply',
  run: (s: DisconnectingState, e: ConnectOptions) =>
    s.next === 'stop'
      ? applied({ ...s, next: 'connect', settings: keepRefusals(s.settings, normalizeSettings(e)) })
      : ignored(s.next === 'connect' ? 'a connect is already pending' : 'a reconnect is planned'),
} as const;
const END_LINK = { kind: 'apply', run: endLink } as const;
const ABORT_LINK = {
  kind: 'apply',
  run: (s: LinkState) => startClosing(s, { type: 'aborted', initiator: 'local' }, true),
} as const;
const LINK_LOST = { kind: 'apply', run: linkLost } as const;
const CONNECT_TIMEOUT = {
  kind: 'apply',
  run: (s: LinkState) => startClosing(s, { type: 'connect-timeout', initiator: 'network' }, true),
} as const;
// [MQTT-3.14.0-1] forbids a server DISCONNECT before CONNACK; there too we report the broker's
// reason code, which says more than "protocol error". [MQTT-3.14.4-2]: the broker closes after its
// DISCONNECT; the client must not answer with a DISCONNECT of its own.
const BROKER_DISCONNECT = {
  kind: 'apply',
  run: (s: LinkState, e: BrokerDisconnectEvent) => startClosing(s, brokerCause(e), false),
} as const;
const PROTOCOL_VIOLATION = {
  kind: 'apply',
  run: (s: AwaitingConnackState | ConnectedState, e: ProtocolViolationEvent) =>
    protocolViolation(s, e.reasonCode, e.message),
} as const;
const SECOND_CONNACK = {
  kind: 'apply',
  run: (s: ConnectedState) => protocolViolation(s, 0x82, 'second CONNACK [MQTT-3.2.0-2]'),
} as const;
const RETRY = {
  kind: 'apply',
  run: (s: ReconnectWaitState) =>
    applied({
      type: 'connecting',
      settings: s.settings,
      attempt: s.attempt,
      serverIndex: s.serverIndex,
    }),
} as const;

export const RULES = {
  idle: {
    connect: START,
    reconnectNow: START,
    end: ignore('nothing to end'),
    abort: ignore('nothing to abort'),
    transportOpened: NO_TRANSPORT,
    transportClosed: NO_TRANSPORT,
    connackAccepted: NO_TRANSPORT,
    connackRefused: NO_TRANSPORT,
    brokerDisconnect: NO_TRANSPORT,
    protocolViolation: NO_TRANSPORT,
    keepaliveDead: NEVER_STARTED,
    connectTimeout: NEVER_STARTED,
    reconnectTimer: NEVER_STARTED,
  },

  connecting: {
    connect: ignore('already connecting'),
    reconnectNow: ignore('already connecting'),
    end: END_LINK,
    abort: ABORT_LINK,
    transportOpened: {
      kind: 'apply',
      run: (s) =>
        applied(
          {
            type: 'awaitingConnack',
            settings: s.settings,
            attempt: s.attempt,
            serverIndex: s.serverIndex,
          },
          [{ type: 'sendConnect' }],
        ),
    },
    transportClosed: LINK_LOST,
    connackAccepted: NOT_OPEN,
    connackRefused: NOT_OPEN,
    brokerDisconnect: NOT_OPEN,
    protocolViolation: NOT_OPEN,
    keepaliveDead: STALE_TIMER,
    connectTimeout: CONNECT_TIMEOUT,
    reconnectTimer: STALE_TIMER,
  },

  awaitingConnack: {
    connect: ignore('already connecting'),
    reconnectNow: ignore('already connecting'),
    end: END_LINK,
    abort: ABORT_LINK,
    transportOpened: ALREADY_OPEN,
    transportClosed: LINK_LOST,
    connackAccepted: {
      kind: 'apply',
      run: (s, e) =>
        applied(
          {
            type: 'connected',
            settings: s.settings,
            serverIndex: s.serverIndex,
            sessionPresent: e.sessionPresent,
          },
          [],
          [
            {
              type: 'connect',
              sessionPresent: e.sessionPresent,
              serverIndex: s.serverIndex,
              attempt: s.attempt,
            },
          ],
        ),
    },
    connackRefused: {
      kind: 'apply',
      // [MQTT-3.2.2-5] (3.1.1) / MQTT 5 3.2.2.2: after a refusing CONNACK the server closes the
      // connection; we close our side without a DISCONNECT.
      run: (s, e) => {
        const requested = linkVersion(s.settings, s.serverIndex);
        const answered = e.protocolVersion ?? requested;
        const cause: CloseCause = {
          type: 'connack-refused',
          initiator: 'broker',
          reasonCode: e.reasonCode,
          protocolVersion: answered,
          ...(answered === requested ? {} : { requestedVersion: requested }),
        };
        // A server refusing MQTT 5 while we negotiate: retry it in 3.1.1, whatever the code's
        // usual decision (it is permanent for the version that was refused, not for the next).
        const settings = fallBackToV4(s.settings, s.serverIndex, cause);
        if (settings === undefined) return startClosing(s, cause, false);
        return startClosing({ ...s, settings }, cause, false, [], 'reconnect');
      },
    },
    brokerDisconnect: BROKER_DISCONNECT,
    protocolViolation: PROTOCOL_VIOLATION,
    keepaliveDead: STALE_TIMER,
    connectTimeout: CONNECT_TIMEOUT,
    reconnectTimer: STALE_TIMER,
  },

  connected: {
    connect: ignore('already connected'),
    reconnectNow: {
      kind: 'apply',
      run: (s, e) => reconnectLink(s, keepRefusals(s.settings, normalizeSettings(e))),
    },
    end: END_LINK,
    abort: ignore('already connected; use end()'),
    transportOpened: ALREADY_OPEN,
    transportClosed: LINK_LOST,
    connackAccepted: SECOND_CONNACK,
    connackRefused: SECOND_CONNACK,
    brokerDisconnect: BROKER_DISCONNECT,
    protocolViolation: PROTOCOL_VIOLATION,
    keepaliveDead: {
      kind: 'apply',
      // No DISCONNECT: the link is presumed dead, and without one the broker publishes the Will.
      run: (s) => startClosing(s, { type: 'keepalive-timeout', initiator: 'network' }, true),
    },
    connectTimeout: STALE_TIMER,
    reconnectTimer: STALE_TIMER,
  },

  disconnecting: {
    connect: CONNECT_AFTER_CLOSE,
    reconnectNow: CONNECT_AFTER_CLOSE,
    end: {
      kind: 'apply',
      run: (s, e) => {
        const escalate = e.force === true && !s.force;
        if (s.next === 'stop' && !escalate) return ignored('already ending');
        return applied(
          { ...s, next: 'stop', force: s.force || escalate },
          escalate ? [{ type: 'closeTransport', force: true }] : [],
        );
      },
    },
    abort: {
      kind: 'apply',
      run: (s) =>
        s.next === 'stop' ? ignored('nothing to abort') : applied({ ...s, next: 'stop' }),
    },
    transportOpened: ignore('opened while closing'),
    transportClosed: {
      kind: 'apply',
      run: (s) => afterTransportClosed(s, s.cause, s.next),
    },
    connackAccepted: LATE_PACKET,
    connackRefused: LATE_PACKET,
    brokerDisconnect: LATE_PACKET,
    protocolViolation: LATE_PACKET,
    keepaliveDead: STALE_TIMER,
    connectTimeout: STALE_TIMER,
    reconnectTimer: STALE_TIMER,
  },

  reconnectWait: {
    connect: RETRY,
    reconnectNow: RETRY,
    end: { kind: 'apply', run: (_s, e) => stop(localEnd(e)) },
    abort: { kind: 'apply', run: () => stop({ type: 'aborted', initiator: 'local' }) },
    transportOpened: NO_TRANSPORT,
    transportClosed: NO_TRANSPORT,
    connackAccepted: NO_TRANSPORT,
    connackRefused: NO_TRANSPORT,
    brokerDisconnect: NO_TRANSPORT,
    protocolViolation: NO_TRANSPORT,
    keepaliveDead: STALE_TIMER,
    connectTimeout: STALE_TIMER,
    reconnectTimer: RETRY,
  },

  closed: {
    connect: START,
    reconnectNow: START,
    end: ignore('already closed'),
    abort: ignore('nothing to abort'),
    transportOpened: NO_TRANSPORT,
    transportClosed: NO_TRANSPORT,
    connackAccepted: NO_TRANSPORT,
    connackRefused: NO_TRANSPORT,
    brokerDisconnect: NO_TRANSPORT,
    protocolViolation: NO_TRANSPORT,
    keepaliveDead: STALE_TIMER,
    connectTimeout: STALE_TIMER,
    reconnectTimer: STALE_TIMER,
  },
} satisfies Rules;

function brokerCause(e: BrokerDisconnectEvent): CloseCause {
  return e.reasonString === undefined
    ? { type: 'broker-disconnect', initiator: 'broker', reasonCode: e.reasonCode }
    : {
        type: 'broker-disconnect',
        initiator: 'broker',
        reasonCode: e.reasonCode,
        reasonString: e.reasonString,
      };
}

/** Leave `reconnectWait` for good: no transport is open, so the close is immediate. */
function stop(cause: CloseCause): Step {
  const reason = withDecision(cause, false);
  return applied({ type: 'closed', reason }, [], [], reason);
}
