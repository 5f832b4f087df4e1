// Publishes numbered QoS 1 messages for the pool to consume: message n goes to
// `<prefix>/<n mod 16>` with payload `n` and user property `msg-id: n`, up to `inflight` at a
// time. Used as a separate process by `main.ts`, the bench and the crash test, so the broker
// sees a real publisher next to the workers. Prints `published <n>` as it goes and at the end.
import { createClient } from '@mqttkit/client';
import { messageIdProperties } from './message-id.js';

export interface PublishRun {
  url: string;
  prefix: string;
  count: number;
  inflight: number;
  /** Called after each 1000th acknowledged message and at the end. */
  progress?: (published: number) => void;
}

export async function publishNumbered(run: PublishRun): Promise<void> {
  const client = createClient({ url: run.url, protocolVersion: 5 });
  await client.connect();
  let next = 0;
  let done = 0;
  const lane = async (): Promise<void> => {
    while (next < run.count) {
      const n = next++;
      await client.publish(`${run.prefix}/${n % 16}`, String(n), {
        qos: 1,
        properties: { userProperties: messageIdProperties(String(n)) },
      });
      done += 1;
      if (done % 1000 === 0 || done === run.count) run.progress?.(done);
    }
  };
  await Promise.all(Array.from({ length: run.inflight }, lane));
  await client.end();
}
