/**
 * MQTT 5 re-authentication on a live link (section 4.12.1): at most one exchange per link, from
 * our AUTH 0x19 to the broker's AUTH 0x00. The exchange belongs to the link it started on, so a
 * reconnect can never carry it over to the next one.
 *
 * Why this is not a state of `@mqttkit/state`: re-authentication changes neither what the client
 * may send (other packets keep flowing under the previous authentication, spec 4.12.1) nor
 * whether the link reads; it only makes AUTH an acceptable packet, which is a per-packet rule
 * like packet ids in use (`inbound-rules.ts`, `awaitingAuth`). Every way the exchange can end
 * the link already is an event of the machine: the broker's refusal is a DISCONNECT
 * [MQTT-4.12.1-2] (a typed `broker-disconnect` close), and a failure on our side closes and
 * reconnects with `reconnectNow`.
 */
import type { AuthPacket, AuthProperties } from '@mqttkit/codec/client';
import type { CloseReason } from '@mqttkit/state';
import type { ClientEmitter } from './client-emitter.js';
import { ConnectionClosedError, OperationAbortedError } from './errors.js';
import type { AbortSignalLike } from './globals.js';
import type { Link } from './link.js';
import type { AuthOptions } from './options.js';
import type { Outbox } from './outbox.js';

/** What `reauthenticate()` resolves with: the broker's final AUTH 0x00 (Success). */
export interface ReauthenticateResult {
  /** Authentication Data of the broker's AUTH 0x00, when it sent some. */
  data?: Uint8Array;
  /** Reason String of the broker's AUTH 0x00, when it sent one. */
  reasonString?: string;
}

/** Options of `client.reauthenticate()`. */
export interface ReauthenticateOptions {
  /** Authentication Data of the AUTH 0x19 that starts the exchange. */
  data?: Uint8Array;
  /**
   * Stops waiting. An exchange cannot be withdrawn on the wire, so an abort fails it as the
   * client's side of [MQTT-4.12.1-2]: the link is closed (DISCONNECT 0x00) and a new one
   * authenticates from CONNECT.
   */
  signal?: AbortSignalLike;
}

interface Exchange {
  readonly link: Link;
  readonly resolve: (result: ReauthenticateResult) => void;
  readonly reject: (error: unknown) => void;
  readonly signal: AbortSignalLike | undefined;
  readonly onAbort: () => void;
}

const AUTH_SUCCESS = 0x00;
const AUTH_CONTINUE = 0x18;
const AUTH_REAUTHENTICATE = 0x19;

export class Reauthentication {
  readonly #auth: AuthOptions;
  readonly #outbox: Outbox;
  readonly #events: ClientEmitter;
  /** Closes the link and opens a new one: our side failing the exchange [MQTT-4.12.1-2]. */
  readonly #recycleLink: () => void;
  #exchange: Exchange | undefined;

  constructor(auth: AuthOptions, outbox: Outbox, events: ClientEmitter, recycleLink: () => void) {
    this.#auth = auth;
    this.#outbox = outbox;
    this.#events = events;
    this.#recycleLink = recycleLink;
  }

  /** Whether `link` has an exchange open: AUTH from the broker is then acceptable. */
  isOpen(link: Link): boolean {
    return this.#exchange?.link === link;
  }

  /** Whether any exchange is open (one at a time). */
  get running(): boolean {
    return this.#exchange !== undefined;
  }

  /** Starts an exchange on `link` (connected, MQTT 5, authenticated with a method). */
  start(link: Link, options: ReauthenticateOptions): Promise<ReauthenticateResult> {
    return new Promise<ReauthenticateResult>((resolve, reject) => {
      const { signal } = options;
      const onAbort = (): void => this.#fail(new OperationAbortedError(true, signal?.reason));
      this.#exchange = { link, resolve, reject, signal, onAbort };
      signal?.addEventListener('abort', onAbort, { once: true });
      // [MQTT-4.12.1-1]: the same Authentication Method as the one the link authenticated with.
      const properties: AuthProperties = { authenticationMethod: this.#auth.method };
      if (options.data !== undefined) properties.authenticationData = options.data;
      this.#outbox.write([{ cmd: 'auth', reasonCode: AUTH_REAUTHENTICATE, properties }]);
    });
  }

  /** An AUTH of the broker on `link`, already checked by `checkInbound` to belong here. */
  receive(packet: AuthPacket, link: Link): void {
    const exchange = this.#exchange;
    if (exchange?.link !== link) return;
    const reasonCode = packet.reasonCode ?? AUTH_SUCCESS;
    if (reasonCode === AUTH_SUCCESS) {
      const result: ReauthenticateResult = {};
      const data = packet.properties?.authenticationData;
      const reasonString = packet.properties?.reasonString;
      if (data !== undefined) result.data = data;
      if (reasonString !== undefined) result.reasonString = reasonString;
      this.#settle(exchange);
      exchange.resolve(result);
      return;
    }
    if (reasonCode !== AUTH_CONTINUE) return;
    const challenge = {
      data: packet.properties?.authenticationData,
      reasonString: packet.properties?.reasonString,
    };
    // The same hook as at CONNECT: one place knows how to answer the method's challenges.
    Promise.resolve()
      .then(() => this.#auth.onChallenge(challenge))
      .then(
        (data) => {
          // Aborted meanwhile, or the link is gone: nothing to answer.
          if (this.#exchange !== exchange || !link.isOpen) return;
          const properties: AuthProperties = { authenticationMethod: this.#auth.method };
          if (data !== undefined) properties.authenticationData = data;
          this.#outbox.write([{ cmd: 'auth', reasonCode: AUTH_CONTINUE, properties }]);
        },
        (error: unknown) => {
          if (this.#exchange !== exchange) return;
          this.#events.emit('error', error);
          this.#fail(error);
        },
      );
  }

  /** The link closed: an exchange still open on it rejects with the close's reason. */
  linkClosed(link: Link, reason: CloseReason): void {
    const exchange = this.#exchange;
    if (exchange?.link !== link) return;
    this.#settle(exchange);
    exchange.reject(new ConnectionClosedError(reason, true));
  }

  /** Our side fails the exchange: reject, then close the link and authenticate anew. */
  #fail(error: unknown): void {
    const exchange = this.#exchange;
    if (!exchange) return;
    this.#settle(exchange);
    exchange.reject(error);
    this.#recycleLink();
  }

  #settle(exchange: Exchange): void {
    this.#exchange = undefined;
    exchange.signal?.removeEventListener('abort', exchange.onAbort);
  }
}
