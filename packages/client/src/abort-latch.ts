/**
 * The abort signal a `Connection` hands its transport: aborted at most once, listeners called
 * in order. A host `AbortController` would do, but in Node one costs about 1 KB for the life of
 * the link (an EventTarget with two Maps and its own shape), on every idle client.
 */
import type { AbortSignalLike } from './globals.js';

export class AbortLatch implements AbortSignalLike {
  aborted = false;
  #listeners: Array<() => void> | undefined;

  addEventListener(_type: 'abort', listener: () => void): void {
    if (this.aborted) return;
    // A literal at first: an array grown from empty by push reserves 17 slots.
    if (this.#listeners) this.#listeners.push(listener);
    else this.#listeners = [listener];
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const listeners = this.#listeners;
    const index = listeners ? listeners.indexOf(listener) : -1;
    if (!listeners || index < 0) return;
    // A new array at its exact length: one that grew by push keeps 17 slots for the link's life.
    this.#listeners =
      listeners.length === 1
        ? undefined
        : listeners.slice(0, index).concat(listeners.slice(index + 1));
  }

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    const listeners = this.#listeners ?? [];
    this.#listeners = undefined;
    // Every listener runs once (as with `{ once: true }`), even one removed by an earlier one's call.
    for (const listener of listeners) listener();
  }
}
