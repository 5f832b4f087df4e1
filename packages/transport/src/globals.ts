// The browser build is compiled without DOM or Node types (it must not depend on either), so the
// few host globals it needs are typed here, narrowly, and read from `globalThis`.

export type TimerHandle = { readonly __timer: unique symbol };

interface HostGlobals {
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle | undefined): void;
  setInterval(fn: () => void, ms: number): TimerHandle;
  clearInterval(handle: TimerHandle | undefined): void;
  queueMicrotask(fn: () => void): void;
  URL: new (url: string) => ParsedUrl;
}

/** The fields of WHATWG `URL` used here. */
export interface ParsedUrl {
  readonly protocol: string;
  readonly hostname: string;
  readonly port: string;
  readonly pathname: string;
  readonly search: string;
}

const host = globalThis as unknown as HostGlobals;

export const setTimer = (fn: () => void, ms: number): TimerHandle => host.setTimeout(fn, ms);
export const clearTimer = (handle: TimerHandle | undefined): void => host.clearTimeout(handle);
export const setRepeat = (fn: () => void, ms: number): TimerHandle => host.setInterval(fn, ms);
export const clearRepeat = (handle: TimerHandle | undefined): void => host.clearInterval(handle);
export const microtask = (fn: () => void): void => host.queueMicrotask(fn);
export const parseUrl = (url: string): ParsedUrl => new host.URL(url);
