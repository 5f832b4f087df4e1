// Drives publishes as fast as a client accepts them, with at most `window` unfinished at a time
// (QoS 0: accepted by the client; QoS 1/2: flow complete), and counts arrivals at a subscriber.
import type { BenchConn, QoS } from './libs.js';

/** Resolves when all `n` publishes completed; rejects on the first failure. */
export function pump(
  conn: BenchConn,
  topic: string,
  payload: Uint8Array,
  qos: QoS,
  n: number,
  window: number,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let done = 0;
    let failed = false;
    let filling = false;
    const onDone = (error?: unknown): void => {
      if (failed) return;
      if (error) {
        failed = true;
        reject(error);
        return;
      }
      done++;
      if (done === n) resolve();
      else fill();
    };
    // Re-entrancy guard: a client may call back synchronously from publish().
    const fill = (): void => {
      if (filling) return;
      filling = true;
      while (sent < n && sent - done < window && !failed) {
        sent++;
        conn.publish(topic, payload, qos, onDone);
      }
      filling = false;
    };
    fill();
  });
}

/** Counts messages per topic at a subscriber; `expect(topic, n)` resolves when n arrived. */
export class Arrivals {
  private readonly counts = new Map<string, { got: number; n: number; done: () => void }>();

  /** Feed with every received message. */
  readonly onMessage = (topic: string): void => {
    const entry = this.counts.get(topic);
    if (!entry) return;
    entry.got++;
    if (entry.got === entry.n) entry.done();
  };

  /** Feed with a prefix match (for per-message topics). */
  onPrefix(prefix: string, count = 1): void {
    const entry = this.counts.get(prefix);
    if (!entry) return;
    entry.got += count;
    if (entry.got >= entry.n) entry.done();
  }

  expect(key: string, n: number, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const got = this.counts.get(key)?.got ?? 0;
        this.counts.delete(key);
        reject(new Error(`lost messages on ${key}: ${got} of ${n} arrived within ${timeoutMs} ms`));
      }, timeoutMs);
      this.counts.set(key, {
        got: 0,
        n,
        done: () => {
          clearTimeout(timer);
          this.counts.delete(key);
          resolve();
        },
      });
    });
  }
}
