import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { type EventSource, nextEvent, until } from '../src/waiting.js';

interface Events {
  message: (topic: string, extra: number) => void;
}

const emitter = (): EventEmitter & EventSource<Events> =>
  new EventEmitter() as EventEmitter & EventSource<Events>;

describe('nextEvent', () => {
  it('resolves with the first argument of the first emission that passes `where`', async () => {
    const source = emitter();
    const next = nextEvent<Events, 'message'>(source, 'message', { where: (t) => t === 'b' });
    source.emit('message', 'a', 1);
    source.emit('message', 'b', 2);
    await expect(next).resolves.toBe('b');
    expect(source.listenerCount('message')).toBe(0);
  });

  it('rejects after `ms` naming the event, and leaves no listener behind', async () => {
    const source = emitter();
    await expect(nextEvent<Events, 'message'>(source, 'message', { ms: 20 })).rejects.toThrow(
      'timed out after 20 ms waiting for "message"',
    );
    expect(source.listenerCount('message')).toBe(0);
  });
});

describe('until', () => {
  it('resolves once the check holds and rejects with what it waited for', async () => {
    let ready = false;
    setTimeout(() => {
      ready = true;
    }, 10);
    await until(() => ready, 1000);
    await expect(until(() => false, 20, 'the impossible')).rejects.toThrow(
      'timed out waiting for the impossible',
    );
  });
});
