/**
 * The outbox: every packet the client writes goes through it, to the current link's connection.
 * It owns write backpressure: a write that leaves the transport above its high-water mark makes
 * it full until the link's drain or close, and QoS 0 publishes settle only once it is not full, so
 * a fast producer feels the transport (QoS 0 has no ack to wait for otherwise).
 */
import type { Packet } from '@mqttkit/codec/client';
import type { Keepalive } from '@mqttkit/keepalive';
import type { ClientEmitter } from './client-emitter.js';
import type { Connection } from './connection.js';
import { isTracing, type Logger } from './logger.js';
import { packetLog, redact } from './packet-log.js';
import type { Deferred } from './session.js';

export class Outbox {
  #connection: Connection | undefined;
  /** The last write was accepted above the high-water mark; cleared by a drain or the close. */
  #full = false;
  /** Made by the first wait: most clients never fill their transport. */
  #drainWaiters: Array<() => void> | undefined;
  readonly #logger: Logger;
  readonly #tracing: boolean;
  readonly #keepalive: Keepalive;
  readonly #events: ClientEmitter;

  constructor(logger: Logger, keepalive: Keepalive, events: ClientEmitter) {
    this.#logger = logger;
    this.#tracing = isTracing(logger);
    this.#keepalive = keepalive;
    this.#events = events;
  }

  /** Writes go to `connection` from now on (a new link was made). */
  attach(connection: Connection): void {
    this.#connection = connection;
  }

  /**
   * `connection` closed: nothing more is written to it, and what waited for its drain is settled
   * (QoS 0 is at most once: its bytes are gone either way).
   */
  detach(connection: Connection): void {
    if (this.#connection === connection) this.#connection = undefined;
    this.drained();
  }

  /** The transport's buffer emptied. */
  drained(): void {
    this.#full = false;
    const waiters = this.#drainWaiters;
    if (waiters === undefined) return;
    this.#drainWaiters = undefined;
    for (const resolve of waiters) resolve();
  }

  /** Resolves `deferred` with `value` now, or once the transport is below its high-water mark. */
  settleWhenWritable<T>(deferred: Deferred<T>, value: T): void {
    if (!this.#full) {
      deferred.resolve(value);
      return;
    }
    this.#drainWaiters ??= [];
    this.#drainWaiters.push(() => deferred.resolve(value));
  }

  write(packets: readonly Packet[]): void {
    const connection = this.#connection;
    for (const packet of packets) {
      let written: boolean;
      try {
        const result = connection?.write(packet) ?? 'dropped';
        if (result === 'full') this.#full = true;
        written = result !== 'dropped';
      } catch (error) {
        // Packets are validated when an operation is made; an encode failure here is a bug, and
        // must not escape into the network path.
        this.#logger.error({ err: error, ...packetLog(packet) }, 'packet could not be encoded');
        this.#events.emit('error', error);
        // Without its CONNECT the attempt could only wait for the connect timeout: end it now, as
        // a transport error carrying the encoder's reason.
        if (packet.cmd === 'connect') connection?.fail(error);
        continue;
      }
      if (!written) {
        this.#logger.debug(packetLog(packet), 'packet dropped: no open link');
        continue;
      }
      this.#keepalive.packetSent();
      if (this.#tracing) this.#logger.trace(packetLog(packet), 'packet sent');
      this.#events.emit('packetsend', redact(packet));
    }
  }
}
