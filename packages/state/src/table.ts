/**
 * The transition table: for every state and every event, what happens. `apply` rules name the
 * states they can lead to (rendered into the README diagram) and the handler computing the step;
 * `ignore` rules are expected races and repeated calls; `reject` rules are events that cannot
 * happen while the runner keeps its contract. No (state, event) pair is left undefined.
 */
import { type CloseCause, withDecision } from './close-reason.js';
import type { ConnectEvent, EventOf, EventType } from './events.js';
import { normalizeSettings } from './settings.js';
import type { StateOf, StateType } from './states.js';
import {
  afterTransportClosed,
  applied,
  endLink,
  ignored,
  linkLost,
  localEnd,
  protocolViolation,
  type Step,
  startClosing,
} from './steps.js';

export type Rule<S extends StateType, E extends EventType> =
  | { readonly kind: 'ignore'; readonly why: string }
  | { readonly kind: 'reject'; readonly why: string }
  | {
      readonly kind: 'apply';
      /** Every state type the handler can return (its own type for a self-transition). */
      readonly to: readonly StateType[];
      /** One line for the README. */
      readonly note: string;
      readonly run: (state: StateOf<S>, event: EventOf<E>) => Step;
    };

export type TransitionTable = {
  readonly [S in StateType]: { readonly [E in EventType]: Rule<S, E> };
};

const ignore = (why: string) => ({ kind: 'ignore', why }) as const;
const reject = (why: string) => ({ kind: 'reject', why }) as const;

const NO_TRANSPORT = reject('no transport exists in this state');
const NOT_OPEN = reject('the transport is not open yet, so nothing can have been received');
const ALREADY_OPEN = reject('the transport is already open');
const LATE_PACKET = ignore('the transport is closing; packets still in its buffer are dropped');
const STALE_TIMER = ignore('the timer was cleared on the way out; a late fire is harmless');
const NEVER_STARTED = reject('no timer was ever started');

function start(event: ConnectEvent): Step {
  return applied({
    type: 'connecting',
    settings: normalizeSettings(event),
    attempt: 0,
    serverIndex: 0,
  });
}

const SECOND_CONNACK = 'a second CONNACK is a protocol error [MQTT-3.2.0-2]';

export const TRANSITION_TABLE: TransitionTable = {
  idle: {
    connect: { kind: 'apply', to: ['connecting'], note: 'open server 0', run: (_s, e) => start(e) },
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
    end: {
      kind: 'apply',
      to: ['disconnecting'],
      note: 'close the opening transport',
      run: (s, e) => endLink(s, e),
    },
    abort: {
      kind: 'apply',
      to: ['disconnecting'],
      note: 'close the opening transport',
      run: (s) => startClosing(s, { type: 'aborted', initiator: 'local' }, true),
    },
    transportOpened: {
      kind: 'apply',
      to: ['awaitingConnack'],
      note: 'send CONNECT',
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
    transportClosed: {
      kind: 'apply',
      to: ['reconnectWait', 'closed'],
      note: 'the open failed',
      run: (s, e) => linkLost(s, e.error, e.retryable !== false),
    },
    connackAccepted: NOT_OPEN,
    connackRefused: NOT_OPEN,
    brokerDisconnect: NOT_OPEN,
    protocolViolation: NOT_OPEN,
    keepaliveDead: STALE_TIMER,
    connectTimeout: {
      kind: 'apply',
      to: ['disconnecting'],
      note: 'abort the open',
      run: (s) => startClosing(s, { type: 'connect-timeout', initiator: 'network' }, true),
    },
    reconnectTimer: STALE_TIMER,
  },

  awaitingConnack: {
    connect: ignore('already connecting'),
    end: {
      kind: 'apply',
      to: ['disconnecting'],
      note: 'DISCONNECT (unless forced), close',
      run: (s, e) => endLink(s, e),
    },
    abort: {
      kind: 'apply',
      to: ['disconnecting'],
      note: 'close',
      run: (s) => startClosing(s, { type: 'aborted', initiator: 'local' }, true),
    },
    transportOpened: ALREADY_OPEN,
    transportClosed: {
      kind: 'apply',
      to: ['reconnectWait', 'closed'],
      note: 'closed before CONNACK',
      run: (s, e) => linkLost(s, e.error, e.retryable !== false),
    },
    connackAccepted: {
      kind: 'apply',
      to: ['connected'],
      note: 'start keepalive, flush the queue',
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
      to: ['disconnecting'],
      note: 'close (the broker closes too)',
      // [MQTT-3.2.2-5] (3.1.1) / MQTT 5 3.2.2.2: after a refusing CONNACK the server closes the
      // connection; we close our side without a DISCONNECT.
      run: (s, e) =>
        startClosing(
          s,
          {
            type: 'connack-refused',
            initiator: 'broker',
            reasonCode: e.reasonCode,
            protocolVersion: s.settings.protocolVersion,
          },
          false,
        ),
    },
    brokerDisconnect: {
      kind: 'apply',
      to: ['disconnecting'],
      note: 'close',
      // [MQTT-3.14.0-1] forbids a server DISCONNECT before CONNACK; we still report the broker's
      // reason code, which says more than "protocol error".
      run: (s, e) => startClosing(s, brokerCause(e), false),
    },
    protocolViolation: {
      kind: 'apply',
      to: ['disconnecting'],
      note: 'DISCONNECT with the violation code (MQTT 5), close',
      run: (s, e) => protocolViolation(s, e.reasonCode, e.message),
    },
    keepaliveDead: STALE_TIMER,
    connectTimeout: {
      kind: 'apply',
      to: ['disconnecting'],
      note: 'close',
      run: (s) => startClosing(s, { type: 'connect-timeout', initiator: 'network' }, true),
    },
    reconnectTimer: STALE_TIMER,
  },

  connected: {
    connect: ignore('already connected'),
    end: {
      kind: 'apply',
      to: ['disconnecting'],
      note: 'DISCONNECT (unless forced), close',
      run: (s, e) => endLink(s, e),
    },
    abort: ignore('the connection attempt already succeeded; use end()'),
    transportOpened: ALREADY_OPEN,
    transportClosed: {
      kind: 'apply',
      to: ['reconnectWait', 'closed'],
      note: 'link lost',
      run: (s, e) => linkLost(s, e.error, e.retryable !== false),
    },
    connackAccepted: {
      kind: 'apply',
      to: ['disconnecting'],
      note: 'protocol error',
      run: (s) => protocolViolation(s, 0x82, SECOND_CONNACK),
    },
    connackRefused: {
      kind: 'apply',
      to: ['disconnecting'],
      note: 'protocol error',
      run: (s) => protocolViolation(s, 0x82, SECOND_CONNACK),
    },
    brokerDisconnect: {
      kind: 'apply',
      to: ['disconnecting'],
      note: 'close',
      // [MQTT-3.14.4-2]: the broker closes after its DISCONNECT; the client must not answer with
      // a DISCONNECT of its own.
      run: (s, e) => startClosing(s, brokerCause(e), false),
    },
    protocolViolation: {
      kind: 'apply',
      to: ['disconnecting'],
      note: 'DISCONNECT with the violation code (MQTT 5), close',
      run: (s, e) => protocolViolation(s, e.reasonCode, e.message),
    },
    keepaliveDead: {
      kind: 'apply',
      to: ['disconnecting'],
      note: 'destroy the silent link',
      // No DISCONNECT: the link is presumed dead, and without one the broker publishes the Will.
      run: (s) => startClosing(s, { type: 'keepalive-timeout', initiator: 'network' }, true),
    },
    connectTimeout: STALE_TIMER,
    reconnectTimer: STALE_TIMER,
  },

  disconnecting: {
    connect: {
      kind: 'apply',
      to: ['disconnecting'],
      note: 'connect again once closed',
      run: (s, e) =>
        s.next === 'stop'
          ? applied({ ...s, next: 'connect', settings: normalizeSettings(e) })
          : ignored(
              s.next === 'connect' ? 'a connect is already pending' : 'a reconnect is planned',
            ),
    },
    end: {
      kind: 'apply',
      to: ['disconnecting'],
      note: 'stop once closed; force destroys',
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
      to: ['disconnecting'],
      note: 'stop once closed',
      run: (s) =>
        s.next === 'stop' ? ignored('nothing to abort') : applied({ ...s, next: 'stop' }),
    },
    transportOpened: ignore('the open raced our close; the close proceeds'),
    transportClosed: {
      kind: 'apply',
      to: ['closed', 'reconnectWait', 'connecting'],
      note: 'closed: stop, wait, or connect',
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
    connect: {
      kind: 'apply',
      to: ['connecting'],
      note: 'retry now',
      run: (s) => applied(retry(s)),
    },
    end: {
      kind: 'apply',
      to: ['closed'],
      note: 'cancel the retry',
      run: (_s, e) => stop(localEnd(e)),
    },
    abort: {
      kind: 'apply',
      to: ['closed'],
      note: 'cancel the retry',
      run: () => stop({ type: 'aborted', initiator: 'local' }),
    },
    transportOpened: NO_TRANSPORT,
    transportClosed: NO_TRANSPORT,
    connackAccepted: NO_TRANSPORT,
    connackRefused: NO_TRANSPORT,
    brokerDisconnect: NO_TRANSPORT,
    protocolViolation: NO_TRANSPORT,
    keepaliveDead: STALE_TIMER,
    connectTimeout: STALE_TIMER,
    reconnectTimer: {
      kind: 'apply',
      to: ['connecting'],
      note: 'open the next server',
      run: (s) => applied(retry(s)),
    },
  },

  closed: {
    connect: { kind: 'apply', to: ['connecting'], note: 'open server 0', run: (_s, e) => start(e) },
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
};

function brokerCause(e: EventOf<'brokerDisconnect'>): CloseCause {
  return e.reasonString === undefined
    ? { type: 'broker-disconnect', initiator: 'broker', reasonCode: e.reasonCode }
    : {
        type: 'broker-disconnect',
        initiator: 'broker',
        reasonCode: e.reasonCode,
        reasonString: e.reasonString,
      };
}

function retry(s: StateOf<'reconnectWait'>): StateOf<'connecting'> {
  return {
    type: 'connecting',
    settings: s.settings,
    attempt: s.attempt,
    serverIndex: s.serverIndex,
  };
}

/** Leave `reconnectWait` for good: no transport is open, so the close is immediate. */
function stop(cause: CloseCause): Step {
  const reason = withDecision(cause, false);
  return applied({ type: 'closed', reason }, [], [], reason);
}
