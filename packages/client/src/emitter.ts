/**
 * A tiny typed event emitter (browser-safe: no `node:events`). Two rules differ from Node's on
 * purpose, because every emit here is driven by network input:
 * - an `error` event with no listener is dropped, never thrown (nothing on the network may crash
 *   the process);
 * - a listener that throws does not stop the other listeners or the client: the throw is handed
 *   to `onListenerError` (the client reports it on `error`, or logs it when `error` itself threw).
 */
/** The arguments of listener type `L`. */
export type ArgsOf<L> = L extends (...args: infer A) => unknown ? A : never;

export class TypedEmitter<Events extends object> {
  /** Made on the first `on`: many clients never get a listener for most events, or any. */
  #listeners: Map<keyof Events, Array<Events[keyof Events]>> | undefined;
  readonly #onListenerError: ((event: keyof Events, error: unknown) => void) | undefined;

  constructor(onListenerError?: (event: keyof Events, error: unknown) => void) {
    this.#onListenerError = onListenerError;
  }

  /** A listener threw. A subclass may override this instead of passing `onListenerError`. */
  protected listenerFailed(event: keyof Events, error: unknown): void {
    this.#onListenerError?.(event, error);
  }

  /** Adds `listener` for `event`. */
  on<E extends keyof Events>(event: E, listener: NoInfer<Events[E]>): this {
    this.#listeners ??= new Map();
    const list = this.#listeners.get(event) ?? [];
    list.push(listener);
    this.#listeners.set(event, list);
    return this;
  }

  /** Adds `listener` for the next `event` only. */
  once<E extends keyof Events>(event: E, listener: NoInfer<Events[E]>): this {
    const wrapper = ((...args: ArgsOf<Events[E]>) => {
      this.off(event, wrapper);
      (listener as (...a: ArgsOf<Events[E]>) => void)(...args);
    }) as unknown as Events[E];
    return this.on(event, wrapper);
  }

  /** Removes `listener` from `event`. */
  off<E extends keyof Events>(event: E, listener: NoInfer<Events[E]>): this {
    const list = this.#listeners?.get(event);
    if (!list) return this;
    const index = list.indexOf(listener);
    if (index >= 0) list.splice(index, 1);
    if (list.length === 0) this.#listeners?.delete(event);
    return this;
  }

  /** How many listeners `event` has. */
  listenerCount(event: keyof Events): number {
    return this.#listeners?.get(event)?.length ?? 0;
  }

  /** Calls each listener in registration order; returns whether there was any. */
  protected emit<E extends keyof Events>(event: E, ...args: ArgsOf<Events[E]>): boolean {
    return this.emitCollect(event, ...args) !== undefined;
  }

  /** Like `emit`, returning what each listener returned (undefined when there was none). */
  protected emitCollect<E extends keyof Events>(
    event: E,
    ...args: ArgsOf<Events[E]>
  ): unknown[] | undefined {
    const list = this.#listeners?.get(event);
    if (!list || list.length === 0) return undefined;
    const results: unknown[] = [];
    // A copy: listeners may add or remove listeners while we iterate.
    for (const listener of [...list]) {
      try {
        results.push((listener as (...a: ArgsOf<Events[E]>) => unknown)(...args));
      } catch (error) {
        this.listenerFailed(event, error);
      }
    }
    return results;
  }
}
