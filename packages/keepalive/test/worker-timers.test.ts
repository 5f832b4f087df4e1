import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRealScheduler, createWorkerTimers } from '../src/index.js';
import { createWorkerTimersOn, WORKER_SCRIPT, type WorkerHost } from '../src/worker-timers.js';

/**
 * A stand-in for a browser's dedicated worker: it runs the real inline script in this process,
 * with its own timers, and passes messages asynchronously both ways as a worker does.
 */
class ScriptWorker {
  static created: ScriptWorker[] = [];
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  terminated = false;
  readonly received: unknown[] = [];
  private readonly inside: (event: { data: unknown }) => void;

  constructor(readonly url: string) {
    ScriptWorker.created.push(this);
    const postMessage = (data: unknown): void => {
      setImmediate(() => {
        if (!this.terminated) this.onmessage?.({ data });
      });
    };
    // The script assigns `onmessage`; a local binding catches it.
    this.inside = new Function(
      'postMessage',
      'setTimeout',
      'clearTimeout',
      `let onmessage;\n${WORKER_SCRIPT}\nreturn onmessage;`,
    )(postMessage, setTimeout, clearTimeout);
  }

  postMessage(data: unknown): void {
    this.received.push(data);
    setImmediate(() => {
      if (!this.terminated) this.inside({ data });
    });
  }

  terminate(): void {
    this.terminated = true;
  }
}

const blobs: string[] = [];
function fakeBrowser(overrides: Partial<WorkerHost> = {}): WorkerHost {
  return {
    Worker: ScriptWorker,
    Blob: class {
      constructor(parts: string[]) {
        blobs.push(parts.join(''));
      }
    },
    URL: { createObjectURL: () => `blob:fake/${blobs.length}`, revokeObjectURL: () => {} },
    ...overrides,
  };
}

afterEach(() => {
  ScriptWorker.created = [];
  blobs.length = 0;
  vi.restoreAllMocks();
});

describe('createWorkerTimers', () => {
  it('returns undefined in Node, which has no Worker, and the scheduler falls back to host timers', async () => {
    expect('Worker' in globalThis).toBe(false);
    expect(createWorkerTimers()).toBeUndefined();
    const scheduler = createRealScheduler({ timers: createWorkerTimers() });
    const ran = await new Promise<number>((resolve) => {
      const due = scheduler.now() + 20;
      scheduler.at(due, () => resolve(scheduler.now() - due));
    });
    expect(ran).toBeGreaterThanOrEqual(0);
  });

  it('returns undefined without Blob or URL.createObjectURL', () => {
    expect(createWorkerTimersOn(fakeBrowser({ Blob: undefined }))).toBeUndefined();
    expect(createWorkerTimersOn(fakeBrowser({ URL: {} }))).toBeUndefined();
  });

  it('creates no worker until the first timer, then one for all timers', async () => {
    const timers = createWorkerTimersOn(fakeBrowser());
    expect(ScriptWorker.created).toHaveLength(0);
    const order: string[] = [];
    const done = new Promise<void>((resolve) => {
      timers?.setTimeout(() => order.push('30 ms'), 30);
      timers?.setTimeout(() => {
        order.push('60 ms');
        resolve();
      }, 60);
      timers?.setTimeout(() => order.push('10 ms'), 10);
    });
    await done;
    expect(order).toEqual(['10 ms', '30 ms', '60 ms']);
    expect(ScriptWorker.created).toHaveLength(1);
    expect(blobs).toEqual([WORKER_SCRIPT]);
  });

  it('clearTimeout cancels in the worker, and a message already on its way is dropped', async () => {
    const timers = createWorkerTimersOn(fakeBrowser());
    const fired: number[] = [];
    const a = timers?.setTimeout(() => fired.push(1), 10);
    timers?.setTimeout(() => fired.push(2), 20);
    timers?.clearTimeout(a);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(fired).toEqual([2]);
    expect(ScriptWorker.created[0]?.received).toContainEqual([a, -1]);
    // A fire message racing a cancel: the id is no longer pending, so nothing runs.
    const b = timers?.setTimeout(() => fired.push(3), 0) as number;
    timers?.clearTimeout(b);
    ScriptWorker.created[0]?.onmessage?.({ data: b });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fired).toEqual([2]);
  });

  it('a worker that cannot be constructed: timers run on the host timers', async () => {
    const timers = createWorkerTimersOn(
      fakeBrowser({
        Worker: class {
          constructor() {
            throw new Error('refused by Content-Security-Policy');
          }
        } as unknown as WorkerHost['Worker'],
      }),
    );
    const fired = await new Promise<boolean>((resolve) => {
      timers?.setTimeout(() => resolve(true), 5);
    });
    expect(fired).toBe(true);
  });

  it('a worker that fails after construction: pending timers move to the host timers', async () => {
    const timers = createWorkerTimersOn(fakeBrowser());
    const fired: string[] = [];
    const done = new Promise<void>((resolve) => {
      timers?.setTimeout(() => {
        fired.push('pending');
        resolve();
      }, 30);
    });
    const worker = ScriptWorker.created[0] as ScriptWorker;
    // What a browser reports when the blob: script is refused: an error event, and no more.
    worker.terminated = true;
    worker.onerror?.({ message: 'load failed' });
    const cancelled = timers?.setTimeout(() => fired.push('cancelled'), 10);
    timers?.clearTimeout(cancelled);
    await done;
    expect(fired).toEqual(['pending']);
    expect(ScriptWorker.created).toHaveLength(1);
  });

  it('drives a real scheduler and a keepalive check on time', async () => {
    const scheduler = createRealScheduler({ timers: createWorkerTimersOn(fakeBrowser()) });
    const lateness = await new Promise<number>((resolve) => {
      const due = scheduler.now() + 25;
      scheduler.at(due, () => resolve(scheduler.now() - due));
    });
    expect(lateness).toBeGreaterThanOrEqual(0);
    expect(lateness).toBeLessThan(200);
    const cancel = scheduler.at(scheduler.now() + 10, () => {
      throw new Error('cancelled call ran');
    });
    cancel();
    await new Promise((resolve) => setTimeout(resolve, 40));
  });

  it('terminate() ends the worker; later timers use the host timers', async () => {
    const timers = createWorkerTimersOn(fakeBrowser());
    timers?.setTimeout(() => {}, 1);
    timers?.terminate();
    expect(ScriptWorker.created[0]?.terminated).toBe(true);
    const fired = await new Promise<boolean>((resolve) => {
      timers?.setTimeout(() => resolve(true), 5);
    });
    expect(fired).toBe(true);
    expect(ScriptWorker.created).toHaveLength(1);
  });
});
