/**
 * Runs the state machine: feeds events to `transition`, stores the new state, then executes the
 * effects in order. Events raised while effects run (a transport that closes synchronously, a
 * timer) are queued and fed afterwards, never re-entrantly, as `@mqttkit/state` requires. The
 * connect and reconnect timers live here, on the injected scheduler; everything else is the
 * host's (the client's) to do.
 */
import type { Scheduler } from '@mqttkit/keepalive';
import { type Effect, type Event, initialState, type State, transition } from '@mqttkit/state';
import { type BackoffPolicy, backoffDelay } from './backoff.js';
import type { Logger } from './logger.js';

/** The effects the client carries out (the runner keeps the connect and reconnect timers). */
export type HostEffect = Exclude<
  Effect,
  {
    type: 'startConnectTimer' | 'cancelConnectTimer' | 'scheduleReconnect' | 'cancelReconnect';
  }
>;

/**
 * Carries out one effect. One function rather than an object of nine callbacks: the client
 * lives as long as its connection, and each callback would be a closure per client.
 */
export type RunnerHost = (effect: HostEffect) => void;

export interface RunnerOptions {
  scheduler: Scheduler;
  connectTimeoutMs: number;
  backoff: BackoffPolicy | undefined;
  random: () => number;
  logger: Logger;
}

export class Runner {
  #current: State = initialState();
  readonly #queue: Event[] = [];
  #running = false;
  #cancelConnectTimer: (() => void) | undefined;
  #cancelReconnectTimer: (() => void) | undefined;
  readonly #host: RunnerHost;
  readonly #options: RunnerOptions;

  constructor(host: RunnerHost, options: RunnerOptions) {
    this.#host = host;
    this.#options = options;
  }

  get state(): State {
    return this.#current;
  }

  /** Feed one event (queued when called from inside an effect). Never throws on network input. */
  dispatch(event: Event): void {
    this.#queue.push(event);
    if (this.#running) return;
    this.#running = true;
    try {
      for (let next = this.#queue.shift(); next !== undefined; next = this.#queue.shift()) {
        this.#step(next);
      }
    } finally {
      this.#running = false;
    }
  }

  #step(event: Event): void {
    const result = transition(this.#current, event);
    if (result.status === 'ignored') {
      this.#options.logger.trace({ state: this.#current.type, event: event.type }, result.reason);
      return;
    }
    if (result.status === 'rejected') {
      this.#options.logger.warn(
        { state: this.#current.type, event: event.type, err: result.error },
        'event rejected by the state machine',
      );
      return;
    }
    this.#current = result.state;
    for (const effect of result.effects) {
      try {
        this.#execute(effect);
      } catch (error) {
        // An effect that throws (a bug) must not leave the remaining effects undone.
        this.#options.logger.error({ err: error, effect: effect.type }, 'effect failed');
      }
    }
  }

  #execute(effect: Effect): void {
    const options = this.#options;
    switch (effect.type) {
      case 'startConnectTimer': {
        this.#cancelConnectTimer?.();
        const at = options.scheduler.now() + options.connectTimeoutMs;
        this.#cancelConnectTimer = options.scheduler.at(at, () => {
          this.#cancelConnectTimer = undefined;
          this.dispatch({ type: 'connectTimeout' });
        });
        return;
      }
      case 'cancelConnectTimer':
        this.#cancelConnectTimer?.();
        this.#cancelConnectTimer = undefined;
        return;
      case 'scheduleReconnect': {
        this.#cancelReconnectTimer?.();
        // Backoff timing is the client's: the machine gives the attempt number, we draw jitter.
        const delay = options.backoff
          ? backoffDelay(options.backoff, effect.attempt, options.random)
          : 0;
        options.logger.debug(
          { attempt: effect.attempt, serverIndex: effect.serverIndex, delayMs: delay },
          'reconnect scheduled',
        );
        this.#cancelReconnectTimer = options.scheduler.at(options.scheduler.now() + delay, () => {
          this.#cancelReconnectTimer = undefined;
          this.dispatch({ type: 'reconnectTimer' });
        });
        return;
      }
      case 'cancelReconnect':
        this.#cancelReconnectTimer?.();
        this.#cancelReconnectTimer = undefined;
        return;
      default:
        this.#host(effect);
    }
  }
}
