// One connection of the client-bound bench's peer: answers CONNECT, SUBSCRIBE and PINGREQ with
// pre-encoded packets, acknowledges the client's publishes (`raw-replies.ts`), and on a
// subscription to a stream topic (`streamTopic`) streams pre-encoded PUBLISHes at the client.
// It reads as little as the raw floor does (`raw-frames.ts`), so it is never the bottleneck.
import type { Socket } from 'node:net';
import { TYPE } from './packet-types.js';
import { encodePublishes } from './raw.js';
import { FrameReader, readVarint } from './raw-frames.js';
import { rawPumpAcked } from './raw-pump.js';
import { FlowAnswers } from './raw-replies.js';

/** QoS 0 PUBLISHes per write of a stream. */
const BLOCK = 500;

/** What a stream topic asks for: `n` PUBLISHes of `size` bytes at `qos`, `window` unfinished. */
export interface StreamRequest {
  qos: 0 | 1 | 2;
  size: number;
  n: number;
  window: number;
}

const STREAM_PREFIX = 'peer/stream/';

/** The topic whose subscription makes the peer stream; `tag` keeps rounds apart. */
export function streamTopic(request: StreamRequest, tag: string): string {
  const { qos, size, n, window } = request;
  return `${STREAM_PREFIX}${qos}/${size}/${n}/${window}/${tag}`;
}

function parseStreamTopic(topic: string): StreamRequest | undefined {
  if (!topic.startsWith(STREAM_PREFIX)) return undefined;
  const [qos, size, n, window] = topic.slice(STREAM_PREFIX.length).split('/').map(Number);
  if (qos !== 0 && qos !== 1 && qos !== 2) return undefined;
  return { qos, size: size ?? 0, n: n ?? 0, window: window ?? 1 };
}

/**
 * Serves one accepted socket until it closes; `onPublishes` is told how many PUBLISHes each read
 * completed (so a QoS 0 publish round can end when the peer has them all).
 */
export function servePeerConnection(socket: Socket, onPublishes: (count: number) => void): void {
  socket.setNoDelay(true);
  let version: 4 | 5 = 5;
  const flows = new FlowAnswers();
  const stream = async (topic: string, request: StreamRequest): Promise<void> => {
    const payload = Buffer.alloc(request.size, 0x63);
    if (request.qos !== 0) {
      await rawPumpAcked(
        { socket, onAcks: (l) => (flows.acks = l) },
        topic,
        payload,
        request.qos,
        request.n,
        request.window,
        version,
      );
      return;
    }
    const block = encodePublishes(
      topic,
      payload,
      Math.min(BLOCK, request.n),
      false,
      undefined,
      version,
    );
    const tail = encodePublishes(topic, payload, request.n % BLOCK, false, undefined, version);
    for (let i = 0; i + BLOCK <= request.n; i += BLOCK) {
      if (!socket.write(block)) await new Promise((ok) => socket.once('drain', ok));
    }
    if (tail.length > 0) socket.write(tail);
  };
  const reader = new FrameReader((first, bytes, at, length) => {
    if (flows.frame(first, bytes, at, length)) return;
    const type = first >> 4;
    if (type === TYPE.CONNECT) {
      // Protocol name "MQTT" (2 + 4 bytes), then the level: 4 is 3.1.1, 5 is 5.0.
      version = bytes[at + 6] === 4 ? 4 : 5;
      // Session present 0, return/reason code 0 (success), and in 5.0 no properties.
      socket.write(version === 5 ? Buffer.of(0x20, 3, 0, 0, 0) : Buffer.of(0x20, 2, 0, 0));
    } else if (type === TYPE.SUBSCRIBE) {
      const end = at + length;
      let i = at + 2;
      if (version === 5) {
        const [after, propsLength] = readVarint(bytes, i);
        i = after + propsLength;
      }
      const codes: number[] = [];
      const streams: Array<[string, StreamRequest]> = [];
      while (i < end) {
        const topic = bytes.toString('utf8', i + 2, i + 2 + bytes.readUInt16BE(i));
        i += 2 + Buffer.byteLength(topic);
        const qos = (bytes[i++] as number) & 3;
        codes.push(qos); // granted as asked
        const request = parseStreamTopic(topic);
        if (request) streams.push([topic, request]);
      }
      const head =
        version === 5
          ? [bytes[at] as number, bytes[at + 1] as number, 0]
          : [bytes[at] as number, bytes[at + 1] as number];
      socket.write(Buffer.from([0x90, head.length + codes.length, ...head, ...codes]));
      for (const [topic, request] of streams)
        void stream(topic, request).catch(() => socket.destroy());
    } else if (type === TYPE.PINGREQ) {
      socket.write(Buffer.of(0xd0, 0));
    } else if (type === TYPE.DISCONNECT) {
      socket.end();
    }
  });
  socket.on('data', (chunk: Buffer) => {
    reader.push(chunk);
    const count = flows.endOfRead(socket);
    if (count > 0) onPublishes(count);
    flows.acks?.flush();
  });
  socket.on('error', () => socket.destroy());
}
