/**
 * The machine's news for the client's users: its `state`, `connect`, `offline`, `close` and
 * `end` events, and the callers of `connect()` and `end()` waiting for them.
 */
import type { ConnackPacket } from '@mqttkit/codec/client';
import type { ClientEvent } from '@mqttkit/state';
import type { ClientEmitter } from './client-emitter.js';
import { closeLogFields } from './close-log.js';
import { ConnectError } from './errors.js';
import type { Logger } from './logger.js';
import type { Deferred } from './session.js';
import type { ConnectResult, StateChange } from './types.js';

export class LifecycleEvents {
  readonly #logger: Logger;
  readonly #events: ClientEmitter;
  // Made on first use: a process may hold thousands of idle clients.
  #connectWaiters: Array<Deferred<ConnectResult>> | undefined;
  #endWaiters: Array<() => void> | undefined;
  /** The last accepted connection's result. */
  connectResult: ConnectResult | undefined;
  reconnects = 0;

  constructor(logger: Logger, events: ClientEmitter) {
    this.#logger = logger;
    this.#events = events;
  }

  /** Settles with the next `connect` (resolves) or `end` (rejects). */
  waitConnect(waiter: Deferred<ConnectResult>): void {
    this.#connectWaiters ??= [];
    this.#connectWaiters.push(waiter);
  }

  /** Runs `resolve` once the link closes or the machine stops. */
  waitEnd(resolve: () => void): void {
    this.#endWaiters ??= [];
    this.#endWaiters.push(resolve);
  }

  /**
   * One `emit` effect. `connack` and `protocolVersion`: the current link's, for the `connect`
   * result; `url`: the last attempt's, without credentials, for the close log.
   */
  forward(
    event: ClientEvent,
    connack: ConnackPacket | undefined,
    protocolVersion: 3 | 4 | 5 = 5,
    url?: string,
  ): void {
    switch (event.type) {
      case 'state': {
        const change: StateChange =
          event.reason === undefined
            ? { from: event.from, to: event.to }
            : { from: event.from, to: event.to, reason: event.reason };
        this.#logger.debug({ from: event.from, to: event.to, reason: event.reason?.type }, 'state');
        if (event.to === 'closed' || event.from === 'disconnecting') {
          for (const resolve of this.#endWaiters?.splice(0) ?? []) resolve();
        }
        this.#events.emit('state', change);
        return;
      }
      case 'connect': {
        if (event.attempt > 0) this.reconnects++;
        const result: ConnectResult = {
          sessionPresent: event.sessionPresent,
          serverIndex: event.serverIndex,
          attempt: event.attempt,
          protocolVersion,
        };
        if (connack?.properties) result.properties = connack.properties;
        this.connectResult = result;
        for (const waiter of this.#connectWaiters?.splice(0) ?? []) waiter.resolve(result);
        this.#events.emit('connect', result);
        return;
      }
      case 'offline':
        this.#events.emit('offline', event.reason);
        return;
      case 'close':
        this.#logger.info(closeLogFields(event.reason, url), 'connection closed');
        this.#events.emit('close', event.reason);
        return;
      case 'end':
        for (const waiter of this.#connectWaiters?.splice(0) ?? []) {
          waiter.reject(new ConnectError(event.reason));
        }
        this.#events.emit('end', event.reason);
        return;
    }
  }
}
