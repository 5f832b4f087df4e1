import { describe, expect, it } from 'vitest';
import {
  type Effect,
  type Event,
  inbound,
  isStopped,
  outbound,
  STATE_TYPES,
  type State,
  type TransitionResult,
  transition,
} from '../src/index.js';
import { EVENTS, STATES } from './fixtures.js';

function applied(state: State, event: Event): Extract<TransitionResult, { status: 'applied' }> {
  const result = transition(state, event);
  if (result.status !== 'applied') throw new Error(`${state.type}/${event.type}: ${result.status}`);
  return result;
}

const types = (effects: readonly Effect[]) => effects.map((e) => e.type);

describe('inbound(state)', () => {
  it('reads packets only on a link that sent CONNECT and is not closing', () => {
    const decisions = Object.fromEntries(STATE_TYPES.map((s) => [s, inbound(STATES[s])]));
    expect(decisions).toEqual({
      idle: 'drop',
      connecting: 'drop',
      awaitingConnack: 'handshake',
      connected: 'session',
      disconnecting: 'drop',
      reconnectWait: 'drop',
      closed: 'drop',
    });
  });

  it('agrees with the table: a packet it reads is never a late packet the machine ignores', () => {
    for (const s of STATE_TYPES) {
      const result = transition(STATES[s], EVENTS.brokerDisconnect);
      if (inbound(STATES[s]) !== 'drop') expect(result.status).toBe('applied');
    }
  });
});

describe('isStopped(state)', () => {
  it('is true where end has nothing to stop', () => {
    const stopped = STATE_TYPES.filter((s) => isStopped(STATES[s]));
    expect(stopped).toEqual(['idle', 'closed']);
    for (const s of stopped) expect(transition(STATES[s], EVENTS.end).status).toBe('ignored');
  });
});

describe('reconnectNow', () => {
  it('connected: graceful close with DISCONNECT 0x00, then a new link once closed', () => {
    const r = applied(STATES.connected, EVENTS.reconnectNow);
    expect(r.state).toMatchObject({
      type: 'disconnecting',
      next: 'connect',
      force: false,
      cause: { type: 'local-end', force: false },
    });
    expect(types(r.effects).slice(0, 3)).toEqual([
      'stopKeepalive',
      'sendDisconnect',
      'closeTransport',
    ]);
    expect(r.effects).toContainEqual({ type: 'sendDisconnect', reasonCode: 0 });
    expect(r.effects).toContainEqual({ type: 'closeTransport', force: false });
    // Operations queue for the new link meanwhile.
    expect(outbound(r.state)).toEqual({ action: 'queue' });
    const closed = applied(r.state, EVENTS.transportClosed);
    expect(closed.state).toMatchObject({ type: 'connecting', attempt: 0, serverIndex: 0 });
    expect(types(closed.effects)).toContain('openTransport');
  });

  it('is what end then connect did while connected', () => {
    const both = applied(applied(STATES.connected, EVENTS.end).state, EVENTS.connect);
    const one = applied(STATES.connected, EVENTS.reconnectNow);
    expect(one.state).toEqual(both.state);
  });

  it('reconnectWait: retries at once with the same attempt and server', () => {
    const s = STATES.reconnectWait;
    const r = applied(s, EVENTS.reconnectNow);
    expect(r.state).toMatchObject({
      type: 'connecting',
      attempt: s.attempt,
      serverIndex: s.serverIndex,
    });
    expect(types(r.effects)).toEqual([
      'cancelReconnect',
      'openTransport',
      'startConnectTimer',
      'emit',
    ]);
  });

  it('elsewhere does what connect does', () => {
    for (const s of ['idle', 'connecting', 'awaitingConnack', 'disconnecting', 'closed'] as const) {
      const asConnect = transition(STATES[s], EVENTS.connect);
      const asReconnect = transition(STATES[s], EVENTS.reconnectNow);
      expect(asReconnect.status).toBe(asConnect.status);
      expect(asReconnect.state).toEqual(asConnect.state);
      expect(asReconnect.effects).toEqual(asConnect.effects);
    }
  });
});
