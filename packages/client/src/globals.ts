// `src/` is built with `types: []` and `lib: ES2022` (it must bundle for browsers), so the host
// globals it needs are typed here, narrowly, and read from `globalThis`. Every target host has them.

interface HostGlobals {
  queueMicrotask(fn: () => void): void;
  TextEncoder: new () => { encode(text: string): Uint8Array };
}

const host = globalThis as unknown as HostGlobals;
const encoder = new host.TextEncoder();

export const queueMicrotask = (fn: () => void): void => host.queueMicrotask(fn);
export const utf8Encode = (text: string): Uint8Array => encoder.encode(text);

/** `digits` random hex digits (client ids, response topics): unique enough, not secret. */
export const randomHex = (random: () => number, digits: number): string => {
  let out = '';
  for (let i = 0; i < digits; i++) out += Math.floor(random() * 16).toString(16);
  return out;
};

/** The subset of `AbortSignal` the client uses (no DOM types in the build). */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
  /** Calls `listener` when the signal aborts. */
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  /** Removes a listener added by `addEventListener`. */
  removeEventListener(type: 'abort', listener: () => void): void;
}
