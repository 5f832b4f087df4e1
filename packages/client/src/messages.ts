/**
 * `client.messages(filter)`: incoming messages as an async iterator. The buffer between the
 * network and a slow `for await` loop is bounded. When it is full it says so to inbound flow
 * control, which stops reading the socket once every consumer is full (TCP then slows the
 * broker); the messages still decoded from the bytes already read are kept (one transport read:
 * at most 64 KiB of bytes over TCP or TLS).
 * When reading cannot stop (another `message` listener wants every message, or a browser
 * WebSocket) the oldest message is dropped (and logged), so a slow consumer can never grow
 * memory without bound.
 */
import { topicMatches } from '@mqttkit/codec/client';
import type { CloseReason } from '@mqttkit/state';
import type { ConsumerPressure } from './inbound-flow.js';
import type { Logger } from './logger.js';
import type { Message } from './types.js';

/** Options of `client.messages()`. */
export interface MessagesOptions {
  /** Messages buffered at most; default the client's `messageBufferSize` (1000). */
  bufferSize?: number;
}

type Unsubscribe = () => void;

export function createMessageIterator(
  onMessage: (listener: (message: Message) => Promise<void>) => Unsubscribe,
  onEnd: (listener: (reason: CloseReason) => void) => Unsubscribe,
  filter: string | undefined,
  options: { bufferSize: number },
  logger: Logger,
  pressure?: ConsumerPressure,
): AsyncIterableIterator<Message> {
  // Each message carries `release`: called when the loop moves past it (its next `next()`), when
  // it is dropped, or when the iterator ends. With `ackAfterHandler` the client acknowledges the
  // message only then, so the broker's flow control throttles a slow loop.
  interface Entry {
    message: Message;
    release: () => void;
  }
  const buffer: Entry[] = [];
  let waiting: ((result: IteratorResult<Message>) => void) | undefined;
  let current: Entry | undefined;
  let finished = false;
  let dropped = 0;
  let full = false;
  const { bufferSize } = options;
  // Room again at half the bound: reading resumes in long runs, not one message at a time.
  const roomAt = Math.floor(bufferSize / 2);

  const releaseCurrent = (): void => {
    const entry = current;
    current = undefined;
    entry?.release();
  };

  const finish = (): void => {
    if (finished && waiting === undefined) return;
    finished = true;
    stopListening();
    stopEnd();
    const resolve = waiting;
    waiting = undefined;
    resolve?.({ done: true, value: undefined });
  };

  const stopListening = (): void => {
    stopListener();
    pressure?.closed();
  };

  const stopListener = onMessage((message) => {
    if (filter !== undefined && !topicMatches(filter, message.topic)) return Promise.resolve();
    return new Promise<void>((release) => {
      const entry: Entry = { message, release: () => release() };
      if (waiting) {
        const resolve = waiting;
        waiting = undefined;
        current = entry;
        resolve({ done: false, value: message });
        return;
      }
      buffer.push(entry);
      if (buffer.length < bufferSize) return;
      full = true;
      // Reading stopped: what still comes was in bytes read before it did; keep it rather than
      // drop it (at most what one transport read holds).
      if (pressure?.full() === true) return;
      if (buffer.length > bufferSize) {
        buffer.shift()?.release();
        dropped++;
        logger.warn({ filter, dropped }, 'messages() buffer full; oldest message dropped');
      }
    });
  });
  const stopEnd = onEnd(() => {
    // Let the loop drain what is buffered, then end.
    stopListening();
    stopEnd();
    if (buffer.length === 0) finish();
    else finished = true;
  });

  const iterator: AsyncIterableIterator<Message> = {
    next(): Promise<IteratorResult<Message>> {
      releaseCurrent();
      const entry = buffer.shift();
      if (full && buffer.length <= roomAt) {
        full = false;
        pressure?.room();
      }
      if (entry) {
        current = entry;
        return Promise.resolve({ done: false, value: entry.message });
      }
      if (finished) return Promise.resolve({ done: true, value: undefined });
      return new Promise((resolve) => {
        waiting = resolve;
      });
    },
    return(): Promise<IteratorResult<Message>> {
      releaseCurrent();
      for (const entry of buffer.splice(0)) entry.release();
      finish();
      return Promise.resolve({ done: true, value: undefined });
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
