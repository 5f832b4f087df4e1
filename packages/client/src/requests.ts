/**
 * MQTT 5 request/response bookkeeping: response topics, fresh Correlation Data, and the callers
 * waiting for the reply that carries theirs. The client does the publishing and subscribing.
 */
import { abortable } from './abortable.js';
import { OperationAbortedError } from './errors.js';
import { type AbortSignalLike, randomHex } from './globals.js';
import type { Deferred } from './session.js';
import type { Message } from './types.js';

export class Requests {
  readonly #waiting = new Map<string, Deferred<Message>>();
  readonly #topics = new Set<string>();
  #defaultTopic: string | undefined;
  readonly #random: () => number;

  constructor(random: () => number) {
    this.#random = random;
  }

  /** The default response topic: `mqttkit/responses/<12 random hex digits>`, made once. */
  defaultResponseTopic(): string {
    if (this.#defaultTopic === undefined) {
      this.#defaultTopic = `mqttkit/responses/${randomHex(this.#random, 12)}`;
    }
    return this.#defaultTopic;
  }

  isSubscribed(topic: string): boolean {
    return this.#topics.has(topic);
  }

  /** Records a subscribed response topic; true for the first one (install the matcher then). */
  subscribed(topic: string): boolean {
    this.#topics.add(topic);
    return this.#topics.size === 1;
  }

  /**
   * Registers a caller: fresh Correlation Data and the promise of the reply carrying it. `cancel`
   * forgets it (the request could not be published).
   */
  register(signal: AbortSignalLike | undefined): {
    correlationData: Uint8Array;
    reply: Promise<Message>;
    cancel: () => void;
  } {
    const correlationData = new Uint8Array(16);
    for (let i = 0; i < correlationData.length; i++) {
      correlationData[i] = Math.floor(this.#random() * 256);
    }
    const key = hex(correlationData);
    const reply = new Promise<Message>((resolve, reject) => {
      const onAbort = (): void => {
        this.#waiting.delete(key);
        reject(new OperationAbortedError(true, signal?.reason));
      };
      this.#waiting.set(key, abortable(signal, onAbort, resolve, reject));
    });
    const cancel = (): void => {
      this.#waiting.delete(key);
      reply.catch(() => {});
    };
    return { correlationData, reply, cancel };
  }

  /** An incoming message: resolves the caller whose Correlation Data it carries, if any. */
  match(message: Message): void {
    const data = message.properties?.correlationData;
    if (data === undefined || !this.#topics.has(message.topic)) return;
    const key = hex(data);
    const waiter = this.#waiting.get(key);
    if (!waiter) return;
    this.#waiting.delete(key);
    waiter.resolve(message);
  }

  /** The client stopped: every caller still waiting gets `error`. */
  rejectAll(error: unknown): void {
    const waiters = [...this.#waiting.values()];
    this.#waiting.clear();
    for (const waiter of waiters) waiter.reject(error);
  }
}

function hex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}
