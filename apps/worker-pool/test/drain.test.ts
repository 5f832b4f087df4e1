// The drain's bookkeeping, without a broker: the end-to-end behaviour (PUBACKs held, messages
// resent to the slot's next process) is what test/worker-pool.test.ts and the crash test check.
import type { Message } from '@mqttkit/client';
import { describe, expect, it } from 'vitest';
import { createDrain } from '../src/drain.js';

const message = (n: number): Message => ({
  topic: `t/${n}`,
  payload: new Uint8Array(),
  qos: 1,
  retain: false,
  dup: false,
  packetId: n,
});

/** A handler whose calls finish when the test says so. */
function gatedHandler() {
  const started: number[] = [];
  const finish = new Map<number, () => void>();
  const handler = (m: Message): Promise<void> =>
    new Promise((resolve) => {
      started.push(m.packetId ?? -1);
      finish.set(m.packetId ?? -1, resolve);
    });
  return { handler, started, finish: (n: number) => finish.get(n)?.() };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('createDrain', () => {
  it('runs at most `concurrency` handlers, the rest in arrival order', async () => {
    const drain = createDrain({ concurrency: 2 });
    const { handler, started, finish } = gatedHandler();
    const listen = drain.listener(handler);
    const settled: number[] = [];
    for (const n of [1, 2, 3, 4]) void listen(message(n)).then(() => settled.push(n));
    expect(started).toEqual([1, 2]);
    expect([drain.inHand, drain.waiting]).toEqual([2, 2]);
    finish(2);
    await tick();
    expect(started).toEqual([1, 2, 3]);
    finish(1);
    finish(3);
    await tick();
    finish(4);
    await tick();
    expect(started).toEqual([1, 2, 3, 4]);
    expect(settled.sort()).toEqual([1, 2, 3, 4]);
  });

  it('drains: finishes what is in hand, never settles what waits or arrives later', async () => {
    const drain = createDrain({ concurrency: 1 });
    const { handler, started, finish } = gatedHandler();
    const listen = drain.listener(handler);
    const settled: number[] = [];
    for (const n of [1, 2]) void listen(message(n)).then(() => settled.push(n));
    let drained: number | undefined;
    void drain.drain().then((inHand) => {
      drained = inHand;
    });
    void listen(message(3)).then(() => settled.push(3));
    await tick();
    expect(drained).toBeUndefined();
    finish(1);
    await tick();
    await tick();
    expect(drained).toBe(1);
    expect(started).toEqual([1]);
    expect(settled).toEqual([1]);
    expect(drain.declined).toBe(2);
  });
});
