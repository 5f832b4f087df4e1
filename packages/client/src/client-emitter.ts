/**
 * How the client's inner modules reach its events. `emit` is protected on the facade (users may
 * not emit), so the facade hands its modules this narrow view of itself instead.
 */
import type { ArgsOf } from './emitter.js';
import type { MqttClientEvents } from './types.js';

export interface ClientEmitter {
  emit<E extends keyof MqttClientEvents>(event: E, ...args: ArgsOf<MqttClientEvents[E]>): boolean;
  /** Emits and returns what each listener returned (undefined when there was none). */
  emitCollect<E extends keyof MqttClientEvents>(
    event: E,
    ...args: ArgsOf<MqttClientEvents[E]>
  ): unknown[] | undefined;
  /** A listener threw or its promise rejected: reported on `error` (logged if that threw). */
  listenerThrew(event: string, error: unknown): void;
}
