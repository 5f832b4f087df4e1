/**
 * How the client's inner modules reach its events: the facade itself, seen through this narrow
 * interface. `emit` is protected on the facade only so that users do not emit; the modules are
 * the client's own parts.
 */
import type { ArgsOf } from './emitter.js';
import { ListenerError } from './errors.js';
import type { Logger } from './logger.js';
import type { MqttClientEvents } from './types.js';

export interface ClientEmitter {
  emit<E extends keyof MqttClientEvents>(event: E, ...args: ArgsOf<MqttClientEvents[E]>): boolean;
  /** Emits and returns what each listener returned (undefined when there was none). */
  emitCollect<E extends keyof MqttClientEvents>(
    event: E,
    ...args: ArgsOf<MqttClientEvents[E]>
  ): unknown[] | undefined;
}

/** A listener threw or its promise rejected: reported on `error`, or logged when that threw. */
export function listenerThrew(
  events: ClientEmitter,
  logger: Logger,
  event: string,
  error: unknown,
): void {
  if (event === 'error') {
    logger.error({ err: error }, 'an error listener threw');
    return;
  }
  events.emit('error', new ListenerError(event, error));
}
