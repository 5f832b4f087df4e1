/**
 * Browser stand-in for Node's `events` module in the browser build: mqtt-packet's parser only
 * uses `on` and `emit` (its generator writes into our own collector, `wire.ts`). As in Node,
 * emitting 'error' with no listener throws it.
 */
type Listener = (...args: unknown[]) => void;

export class EventEmitter {
  private listeners: Map<string, Listener[]> = new Map();

  on(event: string, listener: Listener): this {
    const list = this.listeners.get(event);
    if (list) list.push(listener);
    else this.listeners.set(event, [listener]);
    return this;
  }

  emit(event: string, ...args: unknown[]): boolean {
    const list = this.listeners.get(event);
    if (!list || list.length === 0) {
      if (event === 'error') {
        throw args[0] instanceof Error ? args[0] : new Error(`Unhandled error: ${String(args[0])}`);
      }
      return false;
    }
    for (const listener of [...list]) listener(...args);
    return true;
  }
}
