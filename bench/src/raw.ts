// The raw ceiling: pre-encoded packets written straight to a `net` socket and a receiver that
// only reads fixed headers to count frames. No client can do less work per message.

import { connect as netConnect, type Socket } from 'node:net';
import { encode } from '@mqttkit/codec';
import type { QoS } from './libs.js';

const PV = { protocolVersion: 5 } as const;
const TYPE_CONNACK = 2;
const TYPE_PUBLISH = 3;
const TYPE_SUBACK = 9;
const TYPE_PUBACK = 4;

export interface RawConn {
  readonly socket: Socket;
  /** Writes pre-encoded bytes, resolving once the socket is below its high-water mark. */
  write(bytes: Uint8Array): Promise<void>;
  subscribe(filter: string, qos: QoS): Promise<void>;
  /** Called with the number of PUBLISH frames in each chunk. */
  onPublishes(fn: (count: number) => void): void;
  /** Resolves on the next PUBACK. */
  nextPuback(): Promise<void>;
  end(): Promise<void>;
}

/** Encodes `count` copies of a PUBLISH into one buffer (QoS 0: no packet id). */
export function encodePublishes(
  topic: string,
  payload: Uint8Array,
  count: number,
  retain = false,
  topicOf?: (i: number) => string,
): Buffer {
  const parts: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    parts.push(
      encode(
        {
          cmd: 'publish',
          topic: topicOf ? topicOf(i) : topic,
          payload,
          qos: 0,
          retain,
          dup: false,
        },
        PV,
      ),
    );
  }
  return Buffer.concat(parts);
}

/** Opens a socket, sends CONNECT and resolves after the CONNACK. */
export function rawConnect(port: number, clientId: string, keepalive = 60): Promise<RawConn> {
  return new Promise((resolve, reject) => {
    const socket = netConnect({ port, host: '127.0.0.1', noDelay: true });
    let connected = false;
    let onPub: (count: number) => void = () => {};
    const waiters = new Map<number, Array<() => void>>();
    const wait = (type: number): Promise<void> =>
      new Promise((ok) => {
        const list = waiters.get(type) ?? [];
        list.push(ok);
        waiters.set(type, list);
      });
    const conn: RawConn = {
      socket,
      write(bytes) {
        if (socket.write(bytes)) return Promise.resolve();
        return new Promise((ok) => socket.once('drain', ok));
      },
      async subscribe(filter, qos) {
        const suback = wait(TYPE_SUBACK);
        socket.write(
          encode(
            { cmd: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: filter, qos }] },
            PV,
          ),
        );
        await suback;
      },
      onPublishes(fn) {
        onPub = fn;
      },
      nextPuback: () => wait(TYPE_PUBACK),
      end() {
        return new Promise((ok) => {
          socket.once('close', () => ok());
          socket.end(encode({ cmd: 'disconnect' }, PV));
        });
      },
    };
    socket.once('error', reject);
    socket.on('connect', () => {
      socket.write(encode({ cmd: 'connect', clientId, clean: true, keepalive }, PV));
    });
    // Frames only: the fixed header is read byte by byte, PUBLISH bodies are skipped without a
    // copy; the few other packets (CONNACK, SUBACK, PUBACK) are gathered to read their codes.
    let header: number[] = [];
    let remaining = -1;
    let type = 0;
    let body: Buffer[] | undefined;
    const finish = (): void => {
      remaining = -1;
      if (type === TYPE_PUBLISH) return;
      const bytes = Buffer.concat(body ?? []);
      if (type === TYPE_CONNACK && !connected) {
        connected = true;
        if (bytes[1] !== 0) reject(new Error(`CONNACK refused: ${bytes[1]}`));
        else resolve(conn);
        return;
      }
      waiters.get(type)?.shift()?.();
    };
    socket.on('data', (chunk: Buffer) => {
      let publishes = 0;
      let i = 0;
      while (i < chunk.length) {
        if (remaining < 0) {
          const b = chunk[i++] as number;
          header.push(b);
          if (header.length < 2 || b & 0x80) continue;
          type = (header[0] as number) >> 4;
          remaining = 0;
          for (let k = header.length - 1; k >= 1; k--)
            remaining = remaining * 128 + ((header[k] as number) & 0x7f);
          header = [];
          body = type === TYPE_PUBLISH ? undefined : [];
          if (type === TYPE_PUBLISH) publishes++;
          if (remaining === 0) finish();
        } else {
          const take = Math.min(remaining, chunk.length - i);
          body?.push(chunk.subarray(i, i + take));
          i += take;
          remaining -= take;
          if (remaining === 0) finish();
        }
      }
      if (publishes) onPub(publishes);
    });
  });
}
