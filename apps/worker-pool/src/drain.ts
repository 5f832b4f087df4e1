// Graceful drain for a worker with `ackAfterHandler`: stop taking new messages, finish the ones
// in hand (their PUBACKs leave as each handler settles), then let the caller disconnect.
//
// A message that arrives while draining is neither processed nor acknowledged: its handler
// promise never settles, so the client holds its PUBACK and the link closes without it. The
// broker keeps it in flight in the slot's session and resends it, with DUP, to the next process
// of the slot [MQTT-4.4.0-1]. That is what "stop taking new messages" can mean in MQTT: the
// broker decides what it sends, the Receive Maximum bounds how much.
import type { Message } from '@mqttkit/client';

/** Processes one message; the PUBACK waits until the returned promise settles. */
export type MessageHandler = (message: Message) => Promise<void>;

export interface Drain {
  /** A `message` listener running `handler` until the drain starts. */
  listener(handler: MessageHandler): (message: Message) => Promise<void>;
  /** Messages whose handler is running. */
  readonly inHand: number;
  /** Messages that arrived while draining and are left to the broker to resend. */
  readonly declined: number;
  /** Stops taking messages; resolves with how many were in hand once all of them settled. */
  drain(): Promise<number>;
}

const never = new Promise<void>(() => {});

export function createDrain(): Drain {
  const inHand = new Set<Promise<void>>();
  let draining = false;
  let declined = 0;
  return {
    listener(handler) {
      return (message) => {
        if (draining) {
          declined += 1;
          return never;
        }
        const done = handler(message).finally(() => inHand.delete(done));
        inHand.add(done);
        return done;
      };
    },
    get inHand() {
      return inHand.size;
    },
    get declined() {
      return declined;
    },
    async drain() {
      draining = true;
      const count = inHand.size;
      await Promise.allSettled([...inHand]);
      // The client releases a held PUBACK a few microtasks after its handler settled; one
      // macrotask later every ack of the messages in hand is written.
      await new Promise((resolve) => setImmediate(resolve));
      return count;
    },
  };
}
