/**
 * Model-based tests: random sequences of user calls, transport and broker behaviour and timer
 * fires, run through `transition` by the simulated runner in `sim.ts`, which checks its invariants
 * after every step (one state; no leaked transport, timer or keepalive; no reconnect after a local
 * end; one state/close/offline/end event where due).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CONNACK_V4_RULES,
  CONNACK_V5_RULES,
  DISCONNECT_V5_RULES,
  EVENT_TYPES,
  type Event,
  initialState,
  outbound,
  STATE_TYPES,
  TRANSITION_TABLE,
} from '../src/index.js';
import { World } from './sim.js';

/** A step of the model: user calls always happen; the world's events only when possible. */
type Command =
  | { kind: 'user'; event: Event }
  | { kind: 'open' }
  | { kind: 'peerClose'; error: boolean }
  | { kind: 'closeDone'; error: boolean }
  | { kind: 'packet'; event: Event }
  | { kind: 'keepaliveDead' }
  | { kind: 'connectTimeout' }
  | { kind: 'reconnectTimer' }
  | { kind: 'chaos'; event: Event };

const codes = (rules: readonly { code: number }[]) => rules.map((r) => r.code);

const connectArb: fc.Arbitrary<Event> = fc.record(
  {
    type: fc.constant('connect' as const),
    serverCount: fc.integer({ min: 1, max: 3 }),
    protocolVersion: fc.constantFrom(4 as const, 5 as const),
    reconnect: fc.record(
      { enabled: fc.boolean(), maxAttempts: fc.integer({ min: 0, max: 4 }) },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: ['type'] },
);

const reconnectNowArb: fc.Arbitrary<Event> = connectArb.map((e) => ({
  ...e,
  type: 'reconnectNow' as const,
}));

const endArb: fc.Arbitrary<Event> = fc.record(
  { type: fc.constant('end' as const), force: fc.boolean() },
  { requiredKeys: ['type'] },
);

const packetArb: fc.Arbitrary<Event> = fc.oneof(
  fc.record({ type: fc.constant('connackAccepted' as const), sessionPresent: fc.boolean() }),
  fc.record({
    type: fc.constant('connackRefused' as const),
    reasonCode: fc.constantFrom(...codes(CONNACK_V5_RULES), ...codes(CONNACK_V4_RULES), 0xfe),
  }),
  fc.record({
    type: fc.constant('brokerDisconnect' as const),
    reasonCode: fc.constantFrom(...codes(DISCONNECT_V5_RULES), 0xfe),
  }),
  fc.record({
    type: fc.constant('protocolViolation' as const),
    reasonCode: fc.constantFrom(0x81 as const, 0x82 as const),
    message: fc.constant('bad packet'),
  }),
);

const anyEventArb: fc.Arbitrary<Event> = fc.oneof(
  connectArb,
  endArb,
  packetArb,
  fc.constantFrom(
    ...EVENT_TYPES.filter((t) =>
      [
        'abort',
        'transportOpened',
        'transportClosed',
        'keepaliveDead',
        'connectTimeout',
        'reconnectTimer',
      ].includes(t),
    ).map((type) => ({ type }) as Event),
  ),
);

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  { weight: 3, arbitrary: connectArb.map((event) => ({ kind: 'user' as const, event })) },
  { weight: 2, arbitrary: endArb.map((event) => ({ kind: 'user' as const, event })) },
  { weight: 1, arbitrary: reconnectNowArb.map((event) => ({ kind: 'user' as const, event })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'user' as const, event: { type: 'abort' } }) },
  { weight: 4, arbitrary: fc.constant({ kind: 'open' as const }) },
  { weight: 2, arbitrary: fc.boolean().map((error) => ({ kind: 'peerClose' as const, error })) },
  { weight: 4, arbitrary: fc.boolean().map((error) => ({ kind: 'closeDone' as const, error })) },
  { weight: 5, arbitrary: packetArb.map((event) => ({ kind: 'packet' as const, event })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'keepaliveDead' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'connectTimeout' as const }) },
  { weight: 3, arbitrary: fc.constant({ kind: 'reconnectTimer' as const }) },
  { weight: 2, arbitrary: anyEventArb.map((event) => ({ kind: 'chaos' as const, event })) },
);

/** Runs one command if the world allows it; returns whether it ran. */
function step(world: World, command: Command): boolean {
  const t = world.transport;
  switch (command.kind) {
    case 'user':
      world.deliver(command.event);
      return true;
    case 'open':
      if (!t || t.opened) return false;
      t.opened = true;
      world.deliver({ type: 'transportOpened' });
      return true;
    case 'peerClose':
    case 'closeDone': {
      if (!t || (command.kind === 'closeDone' && !t.closeRequested)) return false;
      world.transport = null;
      const result = world.deliver(
        command.error
          ? { type: 'transportClosed', error: new Error('ECONNRESET') }
          : { type: 'transportClosed' },
      );
      // A transport's close notification is never dropped.
      expect(result.status).toBe('applied');
      return true;
    }
    case 'packet':
      // The broker speaks only after CONNECT; late packets may still arrive while we close.
      if (!t?.connectSent) return false;
      world.deliver(command.event);
      return true;
    case 'keepaliveDead':
      if (world.keepalive !== 'on') return false;
      world.deliver({ type: 'keepaliveDead' });
      return true;
    case 'connectTimeout':
      if (world.connectTimer !== 'on') return false;
      world.deliver({ type: 'connectTimeout' });
      return true;
    case 'reconnectTimer':
      if (world.reconnectTimer !== 'on') return false;
      world.deliver({ type: 'reconnectTimer' });
      return true;
    case 'chaos': {
      // Only events the table does not apply here: they must leave no trace.
      const rule = TRANSITION_TABLE[world.state.type][command.event.type];
      if (rule.kind === 'apply') return false;
      const result = world.deliver(command.event);
      expect(result.status).toBe(rule.kind === 'ignore' ? 'ignored' : 'rejected');
      return true;
    }
  }
}

/** A cooperative transport and broker: finish any close, open, accept. */
function driveToConnected(world: World, closeWithError: boolean): void {
  for (let i = 0; i < 10 && world.state.type !== 'connected'; i++) {
    const t = world.transport;
    if (t?.closeRequested) step(world, { kind: 'closeDone', error: closeWithError });
    else if (t && !t.opened) step(world, { kind: 'open' });
    else if (t?.connectSent) {
      step(world, { kind: 'packet', event: { type: 'connackAccepted', sessionPresent: false } });
    } else break;
  }
}

describe('model: random event sequences', () => {
  it('keeps every invariant after every step (2000 sequences)', () => {
    const visited = new Set<string>();
    fc.assert(
      fc.property(fc.array(commandArb, { maxLength: 80, size: 'max' }), (commands) => {
        const world = new World(initialState());
        for (const command of commands) step(world, command);
        for (const v of world.visits) visited.add(v);
      }),
      { numRuns: 2000 },
    );
    // The sequences must exercise every edge of the table, or the invariants prove little.
    const missing: string[] = [];
    for (const s of STATE_TYPES) {
      for (const e of EVENT_TYPES) {
        const rule = TRANSITION_TABLE[s][e];
        if (rule.kind !== 'apply') continue;
        for (const to of rule.to)
          if (!visited.has(`${s}/${e}->${to}`)) missing.push(`${s}/${e}->${to}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('end then connect always reaches connected when the transport and broker accept', () => {
    fc.assert(
      fc.property(
        fc.array(commandArb, { maxLength: 60, size: 'max' }),
        endArb,
        connectArb,
        fc.boolean(),
        (prefix, end, connect, closeWithError) => {
          const world = new World(initialState());
          for (const command of prefix) step(world, command);
          world.deliver(end);
          world.deliver(connect);
          driveToConnected(world, closeWithError);
          expect(world.state.type).toBe('connected');
          expect(outbound(world.state)).toEqual({ action: 'send' });
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('never schedules a reconnect or opens a transport between end and the next connect', () => {
    fc.assert(
      fc.property(
        fc.array(commandArb, { maxLength: 40, size: 'max' }),
        endArb,
        fc.array(
          commandArb.filter(
            (c) =>
              !(
                c.kind === 'user' &&
                (c.event.type === 'connect' || c.event.type === 'reconnectNow')
              ),
          ),
          { maxLength: 40, size: 'max' },
        ),
        (prefix, end, suffix) => {
          const world = new World(initialState());
          for (const command of prefix) step(world, command);
          world.deliver(end);
          const opened = world.transportsOpened;
          const from = world.effects.length;
          for (const command of suffix) step(world, command);
          const after = world.effects.slice(from);
          expect(after.filter((e) => e.type === 'scheduleReconnect')).toEqual([]);
          expect(world.transportsOpened).toBe(opened);
          // Once the old transport is gone, the machine rests in idle or closed.
          if (world.transport === null) expect(['idle', 'closed']).toContain(world.state.type);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('is deterministic: the same events give the same states and effects', () => {
    fc.assert(
      fc.property(fc.array(commandArb, { maxLength: 50, size: 'max' }), (commands) => {
        const a = new World(initialState());
        const b = new World(initialState());
        for (const command of commands) step(a, command);
        for (const command of commands) step(b, command);
        expect(b.state).toEqual(a.state);
        expect(b.effects).toEqual(a.effects);
      }),
      { numRuns: 300 },
    );
  });
});
