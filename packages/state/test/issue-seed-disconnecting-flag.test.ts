/**
 * The seed of mqttkit (MQTT.js #1897): in a peer client, `end()` set a
 * `disconnecting` flag that one close path never cleared, so `connect()` + `publish()` afterwards
 * failed with "client disconnecting". Here: for every way a connection can end, `end()` then
 * `connect()` reaches `connected` and publishing is allowed, with nothing left running.
 */
import { describe, expect, it } from 'vitest';
import { type Event, initialState, outbound } from '../src/index.js';
import { World } from './sim.js';

type Start = 'connecting' | 'awaitingConnack' | 'connected';
type Action = Event | 'close' | 'closeWithError';

interface Path {
  name: string;
  start: Start;
  actions: Action[];
  /** Reconnects the machine plans before `end()` (transient closes only). */
  retriesBeforeEnd?: number;
}

const END: Event = { type: 'end' };
const FORCE: Event = { type: 'end', force: true };

const PATHS: Path[] = [
  { name: 'graceful end, clean close', start: 'connected', actions: [END, 'close'] },
  { name: 'graceful end, close with error', start: 'connected', actions: [END, 'closeWithError'] },
  { name: 'graceful end, connect before the close', start: 'connected', actions: [END] },
  { name: 'forced end', start: 'connected', actions: [FORCE, 'close'] },
  { name: 'graceful end escalated to forced', start: 'connected', actions: [END, FORCE, 'close'] },
  {
    name: 'stream error, then end',
    start: 'connected',
    actions: ['closeWithError', END],
    retriesBeforeEnd: 1,
  },
  {
    name: 'peer closed, then end',
    start: 'connected',
    actions: ['close', END],
    retriesBeforeEnd: 1,
  },
  {
    name: 'broker DISCONNECT (server shutting down), then end',
    start: 'connected',
    actions: [{ type: 'brokerDisconnect', reasonCode: 0x8b }, END, 'close'],
  },
  {
    name: 'broker DISCONNECT (session taken over), closed, then end',
    start: 'connected',
    actions: [{ type: 'brokerDisconnect', reasonCode: 0x8e }, 'close', END],
  },
  {
    name: 'keepalive timeout, then end',
    start: 'connected',
    actions: [{ type: 'keepaliveDead' }, END, 'close'],
  },
  {
    name: 'keepalive timeout, closed, then end during reconnect wait',
    start: 'connected',
    actions: [{ type: 'keepaliveDead' }, 'close', END],
    retriesBeforeEnd: 1,
  },
  {
    name: 'protocol violation, then end',
    start: 'connected',
    actions: [{ type: 'protocolViolation', reasonCode: 0x81, message: 'bad' }, 'close', END],
  },
  {
    name: 'connect timeout while opening, then end',
    start: 'connecting',
    actions: [{ type: 'connectTimeout' }, END, 'close'],
  },
  {
    name: 'connect timeout awaiting CONNACK',
    start: 'awaitingConnack',
    actions: [{ type: 'connectTimeout' }, 'close', END],
    retriesBeforeEnd: 1,
  },
  {
    name: 'abort while opening, then end',
    start: 'connecting',
    actions: [{ type: 'abort' }, 'close', END],
  },
  {
    name: 'abort awaiting CONNACK, end, connect before the close',
    start: 'awaitingConnack',
    actions: [{ type: 'abort' }, END],
  },
  { name: 'end while opening', start: 'connecting', actions: [END, 'close'] },
  {
    name: 'CONNACK refused (not authorized), then end',
    start: 'awaitingConnack',
    actions: [{ type: 'connackRefused', reasonCode: 0x87 }, 'close', END],
  },
];

function reach(start: Start): World {
  const world = new World(initialState());
  world.deliver({ type: 'connect' });
  if (start === 'connecting') return world;
  world.opened();
  if (start === 'awaitingConnack') return world;
  world.deliver({ type: 'connackAccepted', sessionPresent: false });
  expect(outbound(world.state)).toEqual({ action: 'send' });
  return world;
}

describe('issue seed: connect -> end -> connect -> publish', () => {
  for (const path of PATHS) {
    it(path.name, () => {
      const world = reach(path.start);
      let endAt = -1;
      for (const action of path.actions) {
        if ((action === END || action === FORCE) && endAt < 0) endAt = world.effects.length;
        if (action === 'close') world.closed();
        else if (action === 'closeWithError') world.closed(new Error('ECONNRESET'));
        else world.deliver(action);
      }
      // The user has called end(): publishing must be refused, not queued for a reconnect.
      expect(outbound(world.state).action).toBe('reject');

      world.deliver({ type: 'connect' });
      if (world.transport?.closeRequested) world.closed();
      world.opened();
      world.deliver({ type: 'connackAccepted', sessionPresent: false });

      expect(world.state.type).toBe('connected');
      expect(outbound(world.state)).toEqual({ action: 'send' });
      // Nothing of the old connection survives: one transport, one keepalive, no timers.
      expect(world.transport).toMatchObject({ opened: true, closeRequested: false });
      expect(world.keepalive).toBe('on');
      expect(world.connectTimer).toBe('off');
      expect(world.reconnectTimer).toBe('off');
      expect(endAt).toBeGreaterThanOrEqual(0);
      // Retries happen only before end(): transient closes retry, end() stops them for good.
      const retries = (effects: readonly { type: string }[]) =>
        effects.filter((e) => e.type === 'scheduleReconnect').length;
      expect(retries(world.effects.slice(0, endAt))).toBe(path.retriesBeforeEnd ?? 0);
      expect(retries(world.effects.slice(endAt))).toBe(0);
    });
  }
});
