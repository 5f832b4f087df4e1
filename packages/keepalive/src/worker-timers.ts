import { hostTimers, type TimerSource } from './scheduler.js';

/** Timers run by a dedicated worker, which browsers do not throttle in a hidden tab. */
export interface WorkerTimers extends TimerSource {
  /**
   * End the worker. Pending and later timers run on the host's timers from then on. Call it
   * when the page no longer needs timers that stay on time while hidden.
   */
  terminate(): void;
}

// The few host globals used, declared by hand (`lib: ES2022`, no DOM types). All optional:
// Node and React Native have no `Worker`, some hosts have no `URL.createObjectURL`.
interface WorkerLike {
  postMessage(message: unknown): void;
  terminate(): void;
  onmessage: ((event: { data: unknown }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}
/** @internal exported for tests */
export interface WorkerHost {
  Worker?: new (url: string, options?: { name?: string }) => WorkerLike;
  Blob?: new (parts: string[], options?: { type?: string }) => object;
  URL?: { createObjectURL?(blob: object): string; revokeObjectURL?(url: string): void };
}

/**
 * The worker's whole program. A message `[id, ms]` starts a timer, `[id, -1]` cancels it; when a
 * timer fires the worker posts its `id` back. Inline, so no bundler needs to know of a file.
 * @internal exported for tests
 */
export const WORKER_SCRIPT = `"use strict";
const timers = new Map();
onmessage = (event) => {
  const id = event.data[0];
  const ms = event.data[1];
  if (ms < 0) {
    clearTimeout(timers.get(id));
    timers.delete(id);
    return;
  }
  timers.set(id, setTimeout(() => {
    timers.delete(id);
    postMessage(id);
  }, ms));
};
`;

interface PendingTimer {
  fn: () => void;
  dueAt: number;
  /** Set once the timer runs on the host's timers (no worker, or the worker failed). */
  hostHandle?: unknown;
}

/**
 * A timer source backed by a dedicated worker, built from an inline script (no extra file).
 * Browsers throttle the timers of a hidden tab (to 1 s, then to once a minute) but not those of
 * its dedicated workers, and deliver their messages at once: a keepalive on these timers pings
 * on time while hidden. Returns undefined where `Worker`, `Blob` or `URL.createObjectURL` is
 * missing (Node, React Native), so
 * `createRealScheduler({ timers: createWorkerTimers() })` works everywhere.
 *
 * Nothing is created until the first timer is set. If the worker cannot start (a
 * Content-Security-Policy without `worker-src blob:`, a host without classic workers), its
 * timers move to the host's timers: late in a hidden tab, but never lost.
 */
export function createWorkerTimers(): WorkerTimers | undefined {
  return createWorkerTimersOn(globalThis as WorkerHost);
}

/** @internal exported for tests: `createWorkerTimers()` on the given globals. */
export function createWorkerTimersOn(host: WorkerHost): WorkerTimers | undefined {
  const { Worker, Blob, URL } = host;
  const createObjectURL = URL?.createObjectURL;
  if (typeof Worker !== 'function' || typeof Blob !== 'function') return undefined;
  if (typeof createObjectURL !== 'function') return undefined;

  const pending = new Map<number, PendingTimer>();
  let nextId = 1;
  let worker: WorkerLike | undefined;
  let scriptUrl: string | undefined;
  // Once true, every timer runs on the host's timers.
  let failed = false;

  const run = (id: number): void => {
    const timer = pending.get(id);
    // A timer cancelled while its message was on the way is simply gone.
    if (timer === undefined) return;
    pending.delete(id);
    timer.fn();
  };

  const onHost = (id: number, timer: PendingTimer): void => {
    timer.hostHandle = hostTimers.setTimeout(() => run(id), Math.max(0, timer.dueAt - Date.now()));
  };

  const fallBack = (): void => {
    if (failed) return;
    failed = true;
    if (worker !== undefined) {
      worker.onmessage = null;
      worker.onerror = null;
      worker.terminate();
      worker = undefined;
    }
    if (scriptUrl !== undefined) URL?.revokeObjectURL?.(scriptUrl);
    scriptUrl = undefined;
    for (const [id, timer] of pending) if (!('hostHandle' in timer)) onHost(id, timer);
  };

  const start = (): WorkerLike | undefined => {
    if (worker !== undefined || failed) return worker;
    try {
      const blob = new Blob([WORKER_SCRIPT], { type: 'text/javascript' });
      scriptUrl = createObjectURL.call(URL, blob);
      const created = new Worker(scriptUrl, { name: 'mqttkit-keepalive-timers' });
      created.onmessage = (event) => {
        if (typeof event.data === 'number') run(event.data);
      };
      // A worker refused after construction (CSP, failed load) reports it here, once.
      created.onerror = () => fallBack();
      worker = created;
    } catch {
      fallBack();
    }
    return worker;
  };

  return {
    setTimeout(fn, ms) {
      const id = nextId++;
      const delay = Math.max(0, ms);
      const timer: PendingTimer = { fn, dueAt: Date.now() + delay };
      pending.set(id, timer);
      const target = start();
      if (target === undefined) onHost(id, timer);
      else target.postMessage([id, delay]);
      return id;
    },
    clearTimeout(handle) {
      if (typeof handle !== 'number') return;
      const timer = pending.get(handle);
      if (timer === undefined) return;
      pending.delete(handle);
      if ('hostHandle' in timer) hostTimers.clearTimeout(timer.hostHandle);
      else worker?.postMessage([handle, -1]);
    },
    terminate: fallBack,
  };
}
