// The parties of the client-bound bench, each one connection to the bench's own peer
// (`peer.ts`): a client library behind `BenchConn`, or the raw floor (`raw.ts`). A publish round
// sends n messages with at most `window` unfinished; a receive round subscribes to a stream topic
// and counts the n PUBLISHes the peer then streams.
import type { BenchConn, BenchLib, QoS } from './libs.js';
import type { PeerHandle } from './peer.js';
import { type StreamRequest, streamTopic } from './peer-connection.js';
import { pump } from './pump.js';
import { encodePublishes, rawConnect } from './raw.js';
import { rawPumpAcked } from './raw-pump.js';
import { msSince, nowNs } from './stats.js';

export interface BoundParty {
  readonly name: string;
  /** n publishes to the peer; msg/s from the first until the peer has them all. */
  publishRound(
    topic: string,
    payload: Buffer,
    qos: QoS,
    n: number,
    window: number,
  ): Promise<number>;
  /** The peer streams `request.n` PUBLISHes; msg/s from the SUBSCRIBE until all arrived. */
  receiveRound(request: StreamRequest, tag: string): Promise<number>;
  close(): Promise<void>;
}

/** Raw QoS 0 publishes per write. */
const BLOCK = 500;

/** Resolves when `count` reaches `n` (`feed` adds to it), or fails after `timeoutMs`. */
function counter(n: number, timeoutMs: number, what: string) {
  let got = 0;
  let finish: () => void = () => {};
  let fail: (error: Error) => void = () => {};
  const done = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const timer = setTimeout(
    () => fail(new Error(`${what}: lost messages: ${got} of ${n} arrived in ${timeoutMs} ms`)),
    timeoutMs,
  );
  return {
    done: done.finally(() => clearTimeout(timer)),
    feed(count: number): void {
      got += count;
      if (got >= n) finish();
    },
  };
}

/** Times `work`, and for QoS 0 waits until the peer has all `n` (a client may still buffer). */
async function timed(
  peer: PeerHandle,
  qos: QoS,
  n: number,
  timeoutMs: number,
  work: () => Promise<void>,
): Promise<number> {
  const before = qos === 0 ? await peer.received() : 0;
  const t0 = nowNs();
  await work();
  if (qos === 0) {
    const all = counter(1, timeoutMs, `the peer receiving ${n} QoS 0 publishes`);
    void peer.receivedAll(before + n).then(() => all.feed(1));
    await all.done;
  }
  return n / (msSince(t0) / 1000);
}

export async function libBoundParty(
  lib: BenchLib,
  peer: PeerHandle,
  tag: string,
  timeoutMs: number,
): Promise<BoundParty> {
  const conn: BenchConn = await lib.connect(peer.url, { clientId: `${tag}-${lib.name}` });
  let onTopic: (topic: string) => void = () => {};
  conn.onMessage((topic) => onTopic(topic));
  return {
    name: lib.name,
    publishRound: (topic, payload, qos, n, window) =>
      timed(peer, qos, n, timeoutMs, () => pump(conn, topic, payload, qos, n, window)),
    async receiveRound(request, roundTag) {
      const topic = streamTopic(request, roundTag);
      const count = counter(request.n, timeoutMs, `${lib.name} ${topic}`);
      onTopic = (t) => {
        if (t === topic) count.feed(1);
      };
      const t0 = nowNs();
      await conn.subscribe(topic, request.qos);
      await count.done;
      return request.n / (msSince(t0) / 1000);
    },
    close: () => conn.end(),
  };
}

export async function rawBoundParty(
  peer: PeerHandle,
  tag: string,
  timeoutMs: number,
): Promise<BoundParty> {
  const conn = await rawConnect(peer.port, `${tag}-raw`, 0);
  let onCount: (count: number) => void = () => {};
  conn.onPublishes((c) => onCount(c));
  return {
    name: 'raw',
    publishRound: (topic, payload, qos, n, window) =>
      timed(peer, qos, n, timeoutMs, async () => {
        if (qos !== 0) return rawPumpAcked(conn, topic, payload, qos, n, window);
        const block = encodePublishes(topic, payload, Math.min(BLOCK, n));
        for (let i = 0; i + BLOCK <= n; i += BLOCK) await conn.write(block);
        if (n % BLOCK) await conn.write(encodePublishes(topic, payload, n % BLOCK));
      }),
    async receiveRound(request, roundTag) {
      const topic = streamTopic(request, roundTag);
      const count = counter(request.n, timeoutMs, `raw ${topic}`);
      onCount = count.feed;
      const t0 = nowNs();
      await conn.subscribe(topic, request.qos);
      await count.done;
      return request.n / (msSince(t0) / 1000);
    },
    close: () => conn.end(),
  };
}
