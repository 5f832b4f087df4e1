import { describe, expect, it } from 'vitest';
import {
  type ClientEvent,
  type Effect,
  EVENT_TYPES,
  type Event,
  InvalidInputError,
  initialState,
  STATE_TYPES,
  type State,
  TRANSITION_TABLE,
  type TransitionResult,
  transition,
} from '../src/index.js';
import { EVENTS, ended, lost, STATES, settings, settingsV4 } from './fixtures.js';

function applied(state: State, event: Event) {
  const result = transition(state, event);
  if (result.status !== 'applied') throw new Error(`expected applied, got ${result.status}`);
  return result;
}

const types = (r: TransitionResult) => r.effects.map((e) => e.type);
const emits = (r: TransitionResult): ClientEvent[] =>
  r.effects.flatMap((e: Effect) => (e.type === 'emit' ? [e.event] : []));
const emitTypes = (r: TransitionResult) => emits(r).map((e) => e.type);

describe('the table covers every (state, event) pair', () => {
  for (const s of STATE_TYPES) {
    for (const e of EVENT_TYPES) {
      const rule = TRANSITION_TABLE[s][e];
      it(`${s} + ${e}: ${rule.kind}`, () => {
        // The disconnecting fixture plans to stop, where end and abort have nothing left to do.
        const guarded = s === 'disconnecting' && (e === 'end' || e === 'abort');
        const before: State = guarded ? { ...STATES.disconnecting, next: 'reconnect' } : STATES[s];
        const result = transition(before, EVENTS[e]);
        if (rule.kind === 'apply') {
          expect(result.status).toBe('applied');
          expect(rule.to).toContain(result.state.type);
        } else {
          expect(result.status).toBe(rule.kind === 'ignore' ? 'ignored' : 'rejected');
          expect(result.state).toBe(before);
          expect(result.effects).toEqual([]);
          expect(result).toMatchObject({ reason: rule.why });
          if (result.status === 'rejected') {
            expect(result.error.code).toBe('MQTTKIT_ERR_STATE_UNEXPECTED_EVENT');
            expect(result.error.stateType).toBe(s);
            expect(result.error.eventType).toBe(e);
          }
        }
      });
    }
  }
});

describe('idle and closed', () => {
  it('initialState is idle', () => {
    expect(initialState()).toEqual({ type: 'idle' });
  });

  for (const from of ['idle', 'closed'] as const) {
    it(`${from} + connect opens server 0 with normalized settings`, () => {
      const r = applied(STATES[from], { type: 'connect' });
      expect(r.state).toEqual({
        type: 'connecting',
        settings: { serverCount: 1, protocolVersion: 5, reconnect: { enabled: true } },
        attempt: 0,
        serverIndex: 0,
      });
      expect(types(r)).toEqual(['openTransport', 'startConnectTimer', 'emit']);
      expect(r.effects[0]).toEqual({ type: 'openTransport', serverIndex: 0, attempt: 0 });
      expect(emits(r)).toEqual([{ type: 'state', from, to: 'connecting' }]);
    });
  }
});

describe('connecting', () => {
  const s = STATES.connecting;

  it('transportOpened sends CONNECT and keeps the connect timer', () => {
    const r = applied(s, EVENTS.transportOpened);
    expect(r.state).toEqual({ ...s, type: 'awaitingConnack' });
    expect(types(r)).toEqual(['sendConnect', 'emit']);
  });

  it('transportClosed with a non-retryable error (certificate): closed, no retry', () => {
    const error = new Error('unknown CA');
    const r = applied(s, { type: 'transportClosed', error, retryable: false });
    expect(r.state).toMatchObject({
      type: 'closed',
      reason: { type: 'transport-error', retryable: false, willReconnect: false },
    });
    expect(types(r)).not.toContain('scheduleReconnect');
  });

  it('transportClosed with an error: retry on the next server with attempt + 1', () => {
    const error = new Error('ECONNREFUSED');
    const r = applied(s, { type: 'transportClosed', error });
    const reason = {
      type: 'transport-error',
      initiator: 'network',
      error,
      retryable: true,
      willReconnect: true,
    };
    expect(r.state).toEqual({
      type: 'reconnectWait',
      settings,
      attempt: 3,
      serverIndex: 2,
      reason,
    });
    expect(r.effects).toEqual([
      { type: 'cancelConnectTimer' },
      { type: 'scheduleReconnect', attempt: 3, serverIndex: 2 },
      { type: 'emit', event: { type: 'state', from: 'connecting', to: 'reconnectWait', reason } },
      { type: 'emit', event: { type: 'close', reason } },
    ]);
  });

  it('transportClosed when attempts run out: closed with willReconnect false', () => {
    const limited = {
      ...s,
      settings: { ...settings, reconnect: { enabled: true, maxAttempts: 2 } },
    };
    const r = applied(limited, EVENTS.transportClosed);
    expect(r.state).toEqual({
      type: 'closed',
      reason: { type: 'transport-closed', initiator: 'network', willReconnect: false },
    });
    expect(types(r)).toEqual(['cancelConnectTimer', 'rejectPending', 'emit', 'emit', 'emit']);
    expect(emitTypes(r)).toEqual(['state', 'close', 'end']);
  });

  it('connectTimeout aborts the open (forced) and plans a retry', () => {
    const r = applied(s, EVENTS.connectTimeout);
    expect(r.state).toMatchObject({ type: 'disconnecting', next: 'reconnect', force: true });
    expect(types(r)).toEqual(['cancelConnectTimer', 'closeTransport', 'emit']);
    expect(r.effects[1]).toEqual({ type: 'closeTransport', force: true });
  });

  it('end closes without DISCONNECT (nothing is open yet) and plans to stop', () => {
    const r = applied(s, EVENTS.end);
    expect(r.state).toMatchObject({ type: 'disconnecting', next: 'stop' });
    expect(types(r)).toEqual(['cancelConnectTimer', 'closeTransport', 'emit']);
  });

  it('abort closes with reason aborted', () => {
    const r = applied(s, EVENTS.abort);
    expect(r.state).toMatchObject({
      type: 'disconnecting',
      next: 'stop',
      cause: { type: 'aborted' },
    });
  });
});

describe('awaitingConnack', () => {
  const s = STATES.awaitingConnack;

  it('connackAccepted: connected, keepalive, queue flushed, connect emitted', () => {
    const r = applied(s, { type: 'connackAccepted', sessionPresent: true });
    expect(r.state).toEqual({ type: 'connected', settings, serverIndex: 1, sessionPresent: true });
    expect(r.effects).toEqual([
      { type: 'cancelConnectTimer' },
      { type: 'startKeepalive' },
      { type: 'flushQueue' },
      { type: 'emit', event: { type: 'state', from: 'awaitingConnack', to: 'connected' } },
      {
        type: 'emit',
        event: { type: 'connect', sessionPresent: true, serverIndex: 1, attempt: 2 },
      },
    ]);
  });

  it('connackRefused "not authorized" closes and plans to stop', () => {
    const r = applied(s, EVENTS.connackRefused);
    expect(r.state).toMatchObject({
      type: 'disconnecting',
      next: 'stop',
      cause: { type: 'connack-refused', reasonCode: 0x87, protocolVersion: 5 },
    });
    expect(r.effects.slice(0, 2)).toEqual([
      { type: 'cancelConnectTimer' },
      { type: 'closeTransport', force: false },
    ]);
  });

  it('connackRefused "server unavailable" (3.1.1 code 3) plans a retry', () => {
    const r = applied({ ...s, settings: settingsV4 }, { type: 'connackRefused', reasonCode: 3 });
    expect(r.state).toMatchObject({ type: 'disconnecting', next: 'reconnect' });
  });

  it('graceful end sends DISCONNECT with the given code, then closes', () => {
    const r = applied(s, { type: 'end', reasonCode: 0x04 });
    expect(r.effects.slice(0, 3)).toEqual([
      { type: 'cancelConnectTimer' },
      { type: 'sendDisconnect', reasonCode: 0x04 },
      { type: 'closeTransport', force: false },
    ]);
  });

  it('forced end closes without DISCONNECT', () => {
    const r = applied(s, { type: 'end', force: true });
    expect(types(r)).toEqual(['cancelConnectTimer', 'closeTransport', 'emit']);
    expect(r.state).toMatchObject({ cause: { type: 'local-end', force: true }, force: true });
  });

  it('brokerDisconnect before CONNACK keeps the broker reason', () => {
    const r = applied(s, EVENTS.brokerDisconnect);
    expect(r.state).toMatchObject({
      type: 'disconnecting',
      next: 'reconnect',
      cause: { type: 'broker-disconnect', reasonCode: 0x8b, reasonString: 'bye' },
    });
  });

  it('protocolViolation on MQTT 5 sends DISCONNECT with the code', () => {
    const r = applied(s, EVENTS.protocolViolation);
    expect(r.effects.slice(1, 3)).toEqual([
      { type: 'sendDisconnect', reasonCode: 0x81 },
      { type: 'closeTransport', force: false },
    ]);
    expect(r.state).toMatchObject({ next: 'stop' });
  });

  it('protocolViolation on MQTT 3.1.1 closes without DISCONNECT (which would drop the Will)', () => {
    const r = applied({ ...s, settings: settingsV4 }, EVENTS.protocolViolation);
    expect(types(r)).toEqual(['cancelConnectTimer', 'closeTransport', 'emit']);
  });

  it('connectTimeout closes (forced) and plans a retry', () => {
    const r = applied(s, EVENTS.connectTimeout);
    expect(r.state).toMatchObject({ type: 'disconnecting', next: 'reconnect', attempt: 2 });
  });

  it('transportClosed before CONNACK retries', () => {
    const r = applied(s, EVENTS.transportClosed);
    expect(r.state).toMatchObject({ type: 'reconnectWait', attempt: 3, serverIndex: 2 });
  });
});

describe('connected', () => {
  const s = STATES.connected;

  it('graceful end: stop keepalive, DISCONNECT, close, offline', () => {
    const r = applied(s, EVENTS.end);
    const reason = { type: 'local-end', initiator: 'local', force: false, willReconnect: false };
    expect(r.effects).toEqual([
      { type: 'stopKeepalive' },
      { type: 'sendDisconnect', reasonCode: 0 },
      { type: 'closeTransport', force: false },
      { type: 'emit', event: { type: 'state', from: 'connected', to: 'disconnecting', reason } },
      { type: 'emit', event: { type: 'offline', reason } },
    ]);
  });

  it('transportClosed: offline and close, retry attempt 1 on the next server (wrapping)', () => {
    const r = applied(s, EVENTS.transportClosed);
    expect(r.state).toEqual({
      type: 'reconnectWait',
      settings,
      attempt: 1,
      serverIndex: 0,
      reason: lost,
    });
    expect(types(r)).toEqual(['stopKeepalive', 'scheduleReconnect', 'emit', 'emit', 'emit']);
    expect(emitTypes(r)).toEqual(['state', 'offline', 'close']);
  });

  it('transportClosed with reconnect disabled: closed, pending rejected', () => {
    const off = { ...s, settings: { ...settings, reconnect: { enabled: false } } };
    const r = applied(off, EVENTS.transportClosed);
    const reason = { ...lost, willReconnect: false };
    expect(r.state).toEqual({ type: 'closed', reason });
    expect(r.effects).toContainEqual({ type: 'rejectPending', reason });
    expect(emitTypes(r)).toEqual(['state', 'offline', 'close', 'end']);
  });

  it('keepaliveDead destroys the link and plans a retry', () => {
    const r = applied(s, EVENTS.keepaliveDead);
    expect(r.effects.slice(0, 2)).toEqual([
      { type: 'stopKeepalive' },
      { type: 'closeTransport', force: true },
    ]);
    expect(r.state).toMatchObject({ next: 'reconnect', cause: { type: 'keepalive-timeout' } });
  });

  it('brokerDisconnect "session taken over" does not reconnect', () => {
    const r = applied(s, { type: 'brokerDisconnect', reasonCode: 0x8e });
    expect(r.state).toMatchObject({ type: 'disconnecting', next: 'stop' });
    expect(types(r)).not.toContain('sendDisconnect');
  });

  it('brokerDisconnect "server shutting down" reconnects', () => {
    const r = applied(s, EVENTS.brokerDisconnect);
    expect(r.state).toMatchObject({ type: 'disconnecting', next: 'reconnect' });
  });

  for (const e of ['connackAccepted', 'connackRefused'] as const) {
    it(`${e} a second time is a protocol error (0x82)`, () => {
      const r = applied(s, EVENTS[e]);
      expect(r.state).toMatchObject({
        type: 'disconnecting',
        next: 'stop',
        cause: { type: 'protocol-violation', reasonCode: 0x82 },
      });
      expect(r.effects).toContainEqual({ type: 'sendDisconnect', reasonCode: 0x82 });
    });
  }

  it('protocolViolation sends DISCONNECT and emits offline', () => {
    const r = applied(s, EVENTS.protocolViolation);
    expect(emitTypes(r)).toEqual(['state', 'offline']);
  });
});

describe('disconnecting', () => {
  const s = STATES.disconnecting;

  it('transportClosed with next stop: closed, pending rejected, close then end', () => {
    const r = applied(s, EVENTS.transportClosed);
    expect(r.state).toEqual({ type: 'closed', reason: ended });
    expect(r.effects).toEqual([
      { type: 'rejectPending', reason: ended },
      {
        type: 'emit',
        event: { type: 'state', from: 'disconnecting', to: 'closed', reason: ended },
      },
      { type: 'emit', event: { type: 'close', reason: ended } },
      { type: 'emit', event: { type: 'end', reason: ended } },
    ]);
  });

  it('transportClosed with next reconnect: wait for retry attempt + 1', () => {
    const r = applied({ ...s, next: 'reconnect', attempt: 1 }, EVENTS.transportClosed);
    expect(r.state).toMatchObject({ type: 'reconnectWait', attempt: 2, serverIndex: 0 });
    expect(r.effects[0]).toEqual({ type: 'scheduleReconnect', attempt: 2, serverIndex: 0 });
  });

  it('connect during the close: connect right after it, with the new settings', () => {
    const r1 = applied(s, EVENTS.connect);
    expect(r1.state).toMatchObject({ type: 'disconnecting', next: 'connect' });
    expect(r1.effects).toEqual([]);
    const r2 = applied(r1.state, EVENTS.transportClosed);
    expect(r2.state).toEqual({
      type: 'connecting',
      settings: { serverCount: 2, protocolVersion: 4, reconnect: { enabled: true } },
      attempt: 0,
      serverIndex: 0,
    });
    expect(types(r2)).toEqual(['openTransport', 'startConnectTimer', 'emit', 'emit']);
    expect(emitTypes(r2)).toEqual(['state', 'close']);
  });

  it('connect is ignored when a reconnect or a connect is already planned', () => {
    expect(transition({ ...s, next: 'reconnect' }, EVENTS.connect).status).toBe('ignored');
    expect(transition({ ...s, next: 'connect' }, EVENTS.connect).status).toBe('ignored');
  });

  it('end turns a planned reconnect into a stop', () => {
    const r = applied({ ...s, next: 'reconnect', force: true }, EVENTS.end);
    expect(r.state).toMatchObject({ next: 'stop' });
    expect(r.effects).toEqual([]);
  });

  it('forced end escalates a graceful close', () => {
    const r = applied(s, { type: 'end', force: true });
    expect(r.effects).toEqual([{ type: 'closeTransport', force: true }]);
    expect(r.state).toMatchObject({ force: true, next: 'stop' });
    expect(transition(r.state, { type: 'end', force: true }).status).toBe('ignored');
  });

  it('a second graceful end is ignored', () => {
    expect(transition(s, EVENTS.end).status).toBe('ignored');
  });

  it('abort cancels a pending connect, else is ignored', () => {
    const r = applied({ ...s, next: 'connect' }, EVENTS.abort);
    expect(r.state).toMatchObject({ next: 'stop' });
    expect(transition(s, EVENTS.abort).status).toBe('ignored');
  });
});

describe('reconnectWait', () => {
  const s = STATES.reconnectWait;

  it('reconnectTimer opens the planned server', () => {
    const r = applied(s, EVENTS.reconnectTimer);
    expect(r.state).toEqual({ type: 'connecting', settings, attempt: 3, serverIndex: 0 });
    expect(r.effects).toEqual([
      { type: 'cancelReconnect' },
      { type: 'openTransport', serverIndex: 0, attempt: 3 },
      { type: 'startConnectTimer' },
      { type: 'emit', event: { type: 'state', from: 'reconnectWait', to: 'connecting' } },
    ]);
  });

  it('connect retries now', () => {
    const r = applied(s, EVENTS.connect);
    expect(r.state).toMatchObject({ type: 'connecting', attempt: 3 });
    expect(types(r)[0]).toBe('cancelReconnect');
  });

  it('end cancels the timer and closes', () => {
    const r = applied(s, EVENTS.end);
    expect(r.state).toEqual({ type: 'closed', reason: ended });
    expect(types(r)).toEqual(['cancelReconnect', 'rejectPending', 'emit', 'emit']);
    expect(emitTypes(r)).toEqual(['state', 'end']);
  });

  it('abort cancels the timer and closes with reason aborted', () => {
    const r = applied(s, EVENTS.abort);
    expect(r.state).toEqual({
      type: 'closed',
      reason: { type: 'aborted', initiator: 'local', willReconnect: false },
    });
  });
});

describe('programmer errors throw InvalidInputError', () => {
  const bad: [string, State, unknown][] = [
    ['unknown event type', STATES.idle, { type: 'explode' }],
    ['not an object', STATES.idle, 'connect'],
    ['serverCount 0', STATES.idle, { type: 'connect', serverCount: 0 }],
    ['protocolVersion 3', STATES.idle, { type: 'connect', protocolVersion: 3 }],
    ['negative maxAttempts', STATES.idle, { type: 'connect', reconnect: { maxAttempts: -1 } }],
    ['CONNACK refused with 0', STATES.awaitingConnack, { type: 'connackRefused', reasonCode: 0 }],
    ['reason code 256', STATES.connected, { type: 'brokerDisconnect', reasonCode: 256 }],
    [
      'violation 0x83',
      STATES.connected,
      { type: 'protocolViolation', reasonCode: 0x83, message: '' },
    ],
    ['end reasonCode 1.5', STATES.connected, { type: 'end', reasonCode: 1.5 }],
  ];
  for (const [name, state, event] of bad) {
    it(name, () => {
      try {
        transition(state, event as Event);
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidInputError);
        expect((error as InvalidInputError).code).toBe('MQTTKIT_ERR_STATE_INVALID_INPUT');
      }
    });
  }

  it('an unknown state', () => {
    expect(() => transition({ type: 'limbo' } as unknown as State, EVENTS.connect)).toThrow(
      InvalidInputError,
    );
  });
});
