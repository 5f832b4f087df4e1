// Graceful drain for a worker with `ackAfterHandler`: stop taking new messages, finish the ones
// in hand (their PUBACKs leave as each handler settles), then let the caller disconnect.
//
// A message that arrives while draining is neither processed nor acknowledged: its handler
// promise never settles, so the client holds its PUBACK and the link closes without it. The
// broker keeps it in flight in the slot's session and resends it, with DUP, to the next process
// of the slot [MQTT-4.4.0-1]. That is what "stop taking new messages" can mean in MQTT: the
// broker decides what it sends, the Receive Maximum bounds how much.
//
// The Receive Maximum is a request to the broker, and mosquitto 2.0.11 sends far more while
// PUBACKs flow (docs/scaling.md), so the drain also runs at most `concurrency` handlers at once;
// the others wait in arrival order, unprocessed, and a drain leaves them to the broker too.
import type { Message } from '@mqttkit/client';

/** Processes one message; the PUBACK waits until the returned promise settles. */
export type MessageHandler = (message: Message) => Promise<void>;

export interface Drain {
  /** A `message` listener running `handler` until the drain starts. */
  listener(handler: MessageHandler): (message: Message) => Promise<void>;
  /** Messages whose handler is running. */
  readonly inHand: number;
  /** Messages waiting for a handler slot. */
  readonly waiting: number;
  /** Messages that arrived while draining, or waited when it began, left to the broker. */
  readonly declined: number;
  /** Stops taking messages; resolves with how many were in hand once all of them settled. */
  drain(): Promise<number>;
}

export interface DrainOptions {
  /** Handlers running at once; the rest wait in arrival order. Default: no bound. */
  concurrency?: number;
}

const never = new Promise<void>(() => {});

export function createDrain(options: DrainOptions = {}): Drain {
  const limit = options.concurrency ?? Number.POSITIVE_INFINITY;
  const inHand = new Set<Promise<void>>();
  const queue: Array<() => void> = [];
  let draining = false;
  let declined = 0;
  const next = (): void => {
    while (!draining && inHand.size < limit && queue.length > 0) queue.shift()?.();
  };
  const start = (handler: MessageHandler, message: Message): Promise<void> => {
    const done = handler(message).finally(() => {
      inHand.delete(done);
      next();
    });
    inHand.add(done);
    return done;
  };
  return {
    listener(handler) {
      return (message) => {
        if (draining) {
          declined += 1;
          return never;
        }
        if (inHand.size < limit) return start(handler, message);
        // Settles when its turn came and its handler settled; never, when a drain came first.
        return new Promise<void>((resolve, reject) => {
          queue.push(() => {
            start(handler, message).then(resolve, reject);
          });
        });
      };
    },
    get inHand() {
      return inHand.size;
    },
    get waiting() {
      return queue.length;
    },
    get declined() {
      return declined;
    },
    async drain() {
      draining = true;
      declined += queue.length;
      queue.length = 0;
      const count = inHand.size;
      await Promise.allSettled([...inHand]);
      // The client releases a held PUBACK a few microtasks after its handler settled; one
      // macrotask later every ack of the messages in hand is written.
      await new Promise((resolve) => setImmediate(resolve));
      return count;
    },
  };
}
