import { describe, expect, it } from 'vitest';
import { AbortLatch } from '../src/abort-latch.js';

describe('AbortLatch', () => {
  it('calls each listener once, in order, and only on the first abort', () => {
    const latch = new AbortLatch();
    const calls: string[] = [];
    latch.addEventListener('abort', () => calls.push('a'));
    latch.addEventListener('abort', () => calls.push('b'));
    expect(latch.aborted).toBe(false);
    latch.abort();
    latch.abort();
    expect(latch.aborted).toBe(true);
    expect(calls).toEqual(['a', 'b']);
  });

  it('does not call a removed listener; the others keep their order', () => {
    const latch = new AbortLatch();
    const calls: string[] = [];
    const a = (): number => calls.push('a');
    const b = (): number => calls.push('b');
    const c = (): number => calls.push('c');
    latch.addEventListener('abort', a);
    latch.addEventListener('abort', b);
    latch.addEventListener('abort', c);
    latch.removeEventListener('abort', b);
    latch.removeEventListener('abort', b);
    latch.removeEventListener('abort', a);
    latch.addEventListener('abort', a);
    latch.abort();
    expect(calls).toEqual(['c', 'a']);
  });

  it('ignores listeners added after the abort', () => {
    const latch = new AbortLatch();
    latch.abort();
    let called = false;
    latch.addEventListener('abort', () => {
      called = true;
    });
    latch.abort();
    expect(called).toBe(false);
  });
});
