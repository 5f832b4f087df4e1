/**
 * Browser stand-in for `process-nextick-args`. mqtt-packet only defers `uncork` on streams
 * that have `cork`, which our chunk collector (`wire.ts`) has not, so this never runs in practice.
 */
export function nextTick<A extends unknown[]>(fn: (...args: A) => void, ...args: A): void {
  queueMicrotask(() => fn(...args));
}
