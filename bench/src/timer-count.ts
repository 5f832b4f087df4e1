// Counts live host timers (setTimeout not yet fired or cleared, setInterval not cleared),
// ref'd or not: `process.getActiveResourcesInfo()` misses unref'd timers. Both client libraries
// look the globals up when they arm a timer (not at import), so they see the wrapped ones.
const live = new Set<unknown>();
const g = globalThis as unknown as Record<string, (...args: unknown[]) => unknown>;
const setT = g.setTimeout as (
  fn: (...a: unknown[]) => void,
  ms?: number,
  ...a: unknown[]
) => unknown;
const setI = g.setInterval as (
  fn: (...a: unknown[]) => void,
  ms?: number,
  ...a: unknown[]
) => unknown;
const clearT = g.clearTimeout as (t: unknown) => void;
const clearI = g.clearInterval as (t: unknown) => void;

g.setTimeout = (fn: unknown, ms?: unknown, ...args: unknown[]) => {
  const handle = setT(
    (...a: unknown[]) => {
      live.delete(handle);
      (fn as (...a: unknown[]) => void)(...a);
    },
    ms as number,
    ...args,
  );
  live.add(handle);
  return handle;
};
g.setInterval = (fn: unknown, ms?: unknown, ...args: unknown[]) => {
  const handle = setI(fn as (...a: unknown[]) => void, ms as number, ...args);
  live.add(handle);
  return handle;
};
g.clearTimeout = (handle: unknown) => {
  live.delete(handle);
  clearT(handle);
};
g.clearInterval = (handle: unknown) => {
  live.delete(handle);
  clearI(handle);
};

/** Timers armed right now. */
export const liveTimers = (): number => live.size;
