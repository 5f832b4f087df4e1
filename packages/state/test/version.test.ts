import { describe, expect, it } from 'vitest';
import {
  type AwaitingConnackState,
  type ConnectSettings,
  type Event,
  isVersionRefusal,
  linkVersion,
  type State,
  transition,
} from '../src/index.js';

const negotiating: ConnectSettings = {
  serverCount: 2,
  protocolVersion: 5,
  reconnect: { enabled: true },
  negotiateVersion: true,
};

function awaiting(settings: ConnectSettings, serverIndex = 0): AwaitingConnackState {
  return { type: 'awaitingConnack', settings, attempt: 0, serverIndex };
}

function run(state: State, ...events: Event[]): State {
  let s = state;
  for (const e of events) {
    const r = transition(s, e);
    if (r.status !== 'applied') throw new Error(`${e.type} ignored in ${s.type}`);
    s = r.state;
  }
  return s;
}

// What a 3.1.1 broker answers to an MQTT 5 CONNECT [MQTT-3.1.2-2] (3.1.1), as the codec reads it.
const v4Refusal: Event = { type: 'connackRefused', reasonCode: 1, protocolVersion: 4 };

describe('protocol version negotiation', () => {
  it('a 3.1.1 refusal of MQTT 5 is a connack-refused in 3.1.1 terms, retried in 3.1.1', () => {
    const r = transition(awaiting(negotiating), v4Refusal);
    if (r.status !== 'applied') throw new Error('ignored');
    expect(r.state).toMatchObject({
      type: 'disconnecting',
      next: 'reconnect',
      cause: { type: 'connack-refused', reasonCode: 1, protocolVersion: 4, requestedVersion: 5 },
      settings: { refusedV5: [0] },
    });
    const wait = run(r.state, { type: 'transportClosed' });
    expect(wait).toMatchObject({ type: 'reconnectWait', reason: { willReconnect: true } });
  });

  it('the server that refused is remembered; the others are still asked for 5', () => {
    const after = run(awaiting(negotiating, 0), v4Refusal, { type: 'transportClosed' });
    if (after.type !== 'reconnectWait') throw new Error(after.type);
    expect(linkVersion(after.settings, 0)).toBe(4);
    expect(linkVersion(after.settings, 1)).toBe(5);
  });

  it('the MQTT 5 refusal 0x84 Unsupported Protocol Version also falls back', () => {
    const r = transition(awaiting(negotiating), { type: 'connackRefused', reasonCode: 0x84 });
    expect(r).toMatchObject({ status: 'applied', state: { next: 'reconnect' } });
  });

  it('a pinned version stops on the refusal, as before', () => {
    const pinned: ConnectSettings = { ...negotiating, negotiateVersion: undefined };
    const r = transition(awaiting(pinned), v4Refusal);
    expect(r).toMatchObject({
      status: 'applied',
      state: { next: 'stop', cause: { reasonCode: 1, protocolVersion: 4 } },
    });
  });

  it('a server already spoken to in 3.1.1 that refuses again stops', () => {
    const learnt: ConnectSettings = { ...negotiating, refusedV5: [0] };
    const r = transition(awaiting(learnt), { type: 'connackRefused', reasonCode: 1 });
    expect(r).toMatchObject({
      status: 'applied',
      state: { next: 'stop', cause: { reasonCode: 1, protocolVersion: 4 } },
    });
  });

  it('without automatic reconnect the refusal stops (connect() rejects with it)', () => {
    const r = transition(awaiting({ ...negotiating, reconnect: { enabled: false } }), v4Refusal);
    expect(r).toMatchObject({ status: 'applied', state: { next: 'stop' } });
  });

  it('the connect event negotiates only when asked, and only from 5', () => {
    const idle: State = { type: 'idle' };
    const s5 = run(idle, { type: 'connect', negotiateVersion: true });
    expect(s5).toMatchObject({ settings: { protocolVersion: 5, negotiateVersion: true } });
    const s4 = run(idle, { type: 'connect', protocolVersion: 4, negotiateVersion: true });
    expect(s4.type === 'connecting' && s4.settings.negotiateVersion).toBeUndefined();
  });

  it('names the version refusals of both versions and nothing else', () => {
    const refused = (reasonCode: number, protocolVersion: 4 | 5) =>
      isVersionRefusal({
        type: 'connack-refused',
        initiator: 'broker',
        reasonCode,
        protocolVersion,
      });
    expect(refused(1, 4)).toBe(true);
    expect(refused(0x84, 5)).toBe(true);
    expect(refused(0x84, 4)).toBe(false);
    expect(refused(1, 5)).toBe(false);
    expect(refused(0x87, 5)).toBe(false);
  });
});

describe('refusals learnt are kept by reconnectNow', () => {
  it('on a connected link, over the same servers', () => {
    const learnt: ConnectSettings = { ...negotiating, refusedV5: [1] };
    const connected: State = {
      type: 'connected',
      settings: learnt,
      serverIndex: 1,
      sessionPresent: false,
    };
    const after = run(connected, { type: 'reconnectNow', serverCount: 2, negotiateVersion: true });
    expect(after).toMatchObject({ type: 'disconnecting', settings: { refusedV5: [1] } });
    const other = run(connected, { type: 'reconnectNow', serverCount: 3, negotiateVersion: true });
    expect(other.type === 'disconnecting' && other.settings.refusedV5).toBeUndefined();
  });
});
