/**
 * Waiting in tests: for a condition or for an emitter's next event, always with a bound, so that
 * a test that does not get what it waits for fails with what it waited for instead of hanging.
 */

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` every 5 ms until it is truthy; rejects after `ms`. */
export async function until(check: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** What `nextEvent` needs of an emitter (an `MqttClient`, say): typed `on` and `off`. */
export interface EventSource<Events> {
  on<E extends keyof Events>(event: E, listener: Events[E]): unknown;
  off<E extends keyof Events>(event: E, listener: Events[E]): unknown;
}

/** The first parameter of a listener type: what `nextEvent` resolves with. */
export type EventValue<L> = L extends (value: infer V, ...rest: never[]) => unknown ? V : never;

export interface NextEventOptions<V> {
  /** Rejects after this many ms. Default 5000. */
  ms?: number;
  /** Only an emission whose first argument passes counts; others are let through. */
  where?: (value: V) => boolean;
}

/**
 * Resolves with the first argument of the next `event` of `source` (that passes `where`), or
 * rejects after `ms`. Type the events explicitly: `nextEvent<MqttClientEvents, 'connect'>(...)`.
 */
export function nextEvent<Events, E extends keyof Events>(
  source: EventSource<Events>,
  event: E,
  { ms = 5000, where }: NextEventOptions<EventValue<Events[E]>> = {},
): Promise<EventValue<Events[E]>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      source.off(event, listener);
      reject(new Error(`timed out after ${ms} ms waiting for "${String(event)}"`));
    }, ms);
    const listener = ((value: EventValue<Events[E]>) => {
      if (where !== undefined && !where(value)) return;
      clearTimeout(timer);
      source.off(event, listener);
      resolve(value);
    }) as Events[E];
    source.on(event, listener);
  });
}
