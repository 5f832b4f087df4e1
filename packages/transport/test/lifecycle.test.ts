import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TransportError } from '../src/errors.js';
import { createLifecycle } from '../src/lifecycle.js';
import type { TransportCloseEvent } from '../src/types.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('createLifecycle', () => {
  it('fires onClose once and no handler after it; cleanups run once', () => {
    const events: TransportCloseEvent[] = [];
    const data: Uint8Array[] = [];
    let drains = 0;
    const lifecycle = createLifecycle(
      {
        onData: (chunk) => data.push(chunk),
        onDrain: () => {
          drains += 1;
        },
        onClose: (event) => events.push(event),
      },
      () => {},
    );
    const cleanup = vi.fn();
    lifecycle.onFinish(cleanup);
    lifecycle.data(Uint8Array.of(1));
    lifecycle.finish({ initiator: 'peer' });
    lifecycle.finish({ initiator: 'local' });
    lifecycle.data(Uint8Array.of(2));
    lifecycle.drain();
    expect(events).toEqual([{ initiator: 'peer' }]);
    expect(data).toEqual([Uint8Array.of(1)]);
    expect(drains).toBe(0);
    expect(cleanup).toHaveBeenCalledTimes(1);
    const late = vi.fn();
    lifecycle.onFinish(late);
    expect(late).toHaveBeenCalledTimes(1);
  });

  it('a throwing onData or onDrain goes to destroy as HandlerError', () => {
    const destroyed: TransportError[] = [];
    const bug = new Error('bug');
    const lifecycle = createLifecycle(
      {
        onData: () => {
          throw bug;
        },
        onDrain: () => {
          throw bug;
        },
      },
      (error) => destroyed.push(error),
    );
    lifecycle.data(Uint8Array.of(1));
    lifecycle.drain();
    expect(destroyed.map((error) => [error.code, error.message, error.cause])).toEqual([
      ['MQTTKIT_ERR_HANDLER_THREW', 'The onData handler threw', bug],
      ['MQTTKIT_ERR_HANDLER_THREW', 'The onDrain handler threw', bug],
    ]);
  });

  it('a throwing onClose is rethrown on a microtask, and the lifecycle stays closed', () => {
    const queued: Array<() => void> = [];
    vi.spyOn(globalThis, 'queueMicrotask').mockImplementation((fn) => {
      queued.push(fn);
    });
    const bug = new Error('close bug');
    let calls = 0;
    const lifecycle = createLifecycle(
      {
        onClose: () => {
          calls += 1;
          throw bug;
        },
      },
      () => {},
    );
    expect(() => lifecycle.finish({ initiator: 'local' })).not.toThrow();
    lifecycle.finish({ initiator: 'local' });
    expect(calls).toBe(1);
    expect(lifecycle.closed).toBe(true);
    expect(queued).toHaveLength(1);
    expect(() => queued[0]!()).toThrow(bug);
  });
});
