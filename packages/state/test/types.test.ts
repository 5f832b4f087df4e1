/** Type tests: the unions narrow on `type`, and results say which kind they are. */
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  type CloseReason,
  type Effect,
  type Event,
  InvalidInputError,
  initialState,
  type State,
  type TransitionResult,
  transition,
  type UnexpectedEventError,
} from '../src/index.js';

describe('types', () => {
  it('CloseReason narrows to its details', () => {
    const narrow = (r: CloseReason) => {
      expectTypeOf(r.willReconnect).toEqualTypeOf<boolean>();
      if (r.type === 'broker-disconnect') {
        expectTypeOf(r.reasonCode).toEqualTypeOf<number>();
        expectTypeOf(r.initiator).toEqualTypeOf<'broker'>();
      }
      if (r.type === 'transport-error') expectTypeOf(r.error).toEqualTypeOf<unknown>();
      if (r.type === 'protocol-violation')
        expectTypeOf(r.reasonCode).toEqualTypeOf<0x81 | 0x82 | 0x93 | 0x94 | 0x95>();
    };
    expectTypeOf(narrow).toBeFunction();
  });

  it('effects and states narrow on type', () => {
    const onEffect = (e: Effect) => {
      if (e.type === 'scheduleReconnect') expectTypeOf(e.attempt).toEqualTypeOf<number>();
      if (e.type === 'rejectPending') expectTypeOf(e.reason).toEqualTypeOf<CloseReason>();
    };
    const onState = (s: State) => {
      if (s.type === 'disconnecting') {
        expectTypeOf(s.next).toEqualTypeOf<'stop' | 'reconnect' | 'connect'>();
      }
    };
    expectTypeOf(onEffect).toBeFunction();
    expectTypeOf(onState).toBeFunction();
  });

  it('transition takes a State and an Event and says what it did', () => {
    expectTypeOf(transition).parameters.toEqualTypeOf<[State, Event]>();
    const r: TransitionResult = transition(initialState(), { type: 'connect' });
    if (r.status === 'rejected') expectTypeOf(r.error).toEqualTypeOf<UnexpectedEventError>();
    if (r.status === 'ignored') expectTypeOf(r.effects).toEqualTypeOf<readonly []>();
    // Events are closed unions: a typo does not compile (and throws at run time for plain JS).
    // @ts-expect-error
    expect(() => transition(initialState(), { type: 'conect' })).toThrow(InvalidInputError);
  });
});
