/**
 * The subscriptions to restore: what the broker granted, by topic filter, so that a new
 * connection without a session can subscribe again (`resubscribe`).
 */
import type { SubscribeProperties, Subscription } from '@mqttkit/codec';
import type { SubscribeOp } from './types.js';

interface Granted {
  subscription: Subscription;
  properties: SubscribeProperties | undefined;
}

export class GrantedSubscriptions {
  // Made by the first grant: each empty Map costs ~150 B, and idle clients are many.
  #map: Map<string, Granted> | undefined;

  /** A SUBACK granted `subscription` (a code below 0x80). */
  record(subscription: Subscription, properties: SubscribeProperties | undefined): void {
    this.#map ??= new Map();
    this.#map.set(subscription.topicFilter, { subscription, properties });
  }

  /** An UNSUBACK accepted the unsubscribe of `topicFilter`. */
  forget(topicFilter: string): void {
    this.#map?.delete(topicFilter);
  }

  /** Forget them all (after a local `end()`). */
  clear(): void {
    this.#map = undefined;
  }

  /**
   * The SUBSCRIBEs that restore every grant: one per distinct set of properties, because a
   * Subscription Identifier is per packet. They have no caller (`internal`).
   */
  resubscribes(): SubscribeOp[] {
    const ops = new Map<string, SubscribeOp>();
    for (const { subscription, properties } of this.#map?.values() ?? []) {
      const key = JSON.stringify(properties ?? null);
      const op = ops.get(key);
      if (op) op.subscriptions.push(subscription);
      else {
        ops.set(key, {
          kind: 'subscribe',
          subscriptions: [subscription],
          properties,
          deferred: undefined,
          internal: true,
        });
      }
    }
    return [...ops.values()];
  }
}
