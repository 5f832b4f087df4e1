// The raw ceiling: pre-encoded packets written straight to a `net` socket, and a peer that reads
// only what a correct MQTT peer must (`raw-frames.ts`). Its replies cost no state: a QoS 1
// PUBLISH is answered with PUBACK, a QoS 2 PUBLISH with PUBREC, a PUBREL with PUBCOMP, a PUBREC
// with PUBREL, all replies to one read batched into one write. No client can do less per message.

import { connect as netConnect, type Socket } from 'node:net';
import { encode } from '@mqttkit/codec';
import type { BenchConn, QoS } from './libs.js';
import { TYPE } from './packet-types.js';
import { FrameReader, readVarint } from './raw-frames.js';
import { FlowAnswers } from './raw-replies.js';

const PV = { protocolVersion: 5 } as const;

/** Told of this connection's own publishes being acknowledged. */
export interface AckListener {
  /** A PUBACK, PUBREC (already answered with PUBREL when `reason` < 0x80) or PUBCOMP. */
  ack(type: number, id: number, reason: number): void;
  /** After the acks of one read were delivered and the replies to it written. */
  flush(): void;
}

export interface RawConn {
  readonly socket: Socket;
  /** Writes pre-encoded bytes, resolving once the socket is below its high-water mark. */
  write(bytes: Uint8Array): Promise<void>;
  subscribe(filter: string, qos: QoS): Promise<void>;
  /** Called with the number of PUBLISH frames completed in each read. */
  onPublishes(fn: (count: number) => void): void;
  onAcks(listener: AckListener | undefined): void;
  /** Resolves on the next PUBACK. */
  nextPuback(): Promise<void>;
  /** QoS 2 PUBLISHes received and answered with PUBREC whose PUBREL has not come yet. */
  awaitingPubrel(): number;
  end(): Promise<void>;
}

export const TYPES = { PUBACK: TYPE.PUBACK, PUBREC: TYPE.PUBREC, PUBCOMP: TYPE.PUBCOMP } as const;

/** Encodes `count` copies of a PUBLISH into one buffer (QoS 0: no packet id). */
export function encodePublishes(
  topic: string,
  payload: Uint8Array,
  count: number,
  retain = false,
  topicOf?: (i: number) => string,
  protocolVersion: 4 | 5 = 5,
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
        { protocolVersion },
      ),
    );
  }
  return Buffer.concat(parts);
}

/** SUBACK body: packet id, properties (length-prefixed), then one code per filter. */
function subackCode(bytes: Buffer, at: number, _length: number): number {
  const [i, propsLength] = readVarint(bytes, at + 2);
  return bytes[i + propsLength] ?? 0x80;
}

/** Opens a socket, sends CONNECT and resolves after the CONNACK. */
export function rawConnect(port: number, clientId: string, keepalive = 60): Promise<RawConn> {
  return new Promise((resolve, reject) => {
    const socket = netConnect({ port, host: '127.0.0.1', noDelay: true });
    let connected = false;
    let onPub: (count: number) => void = () => {};
    const waiters = new Map<number, Array<(bytes: Buffer, at: number, length: number) => void>>();
    const wait = (type: number): Promise<{ bytes: Buffer; at: number; length: number }> =>
      new Promise((ok) => {
        const list = waiters.get(type) ?? [];
        // Copied: the frame's bytes are only valid during the call.
        list.push((bytes, at, length) =>
          ok({ bytes: Buffer.from(bytes.subarray(at, at + length)), at: 0, length }),
        );
        waiters.set(type, list);
      });
    const conn: RawConn = {
      socket,
      write(bytes) {
        if (socket.write(bytes)) return Promise.resolve();
        return new Promise((ok) => socket.once('drain', ok));
      },
      async subscribe(filter, qos) {
        const suback = wait(TYPE.SUBACK);
        socket.write(
          encode(
            { cmd: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: filter, qos }] },
            PV,
          ),
        );
        const { bytes, at, length } = await suback;
        const code = subackCode(bytes, at, length);
        if (code !== qos) throw new Error(`SUBACK ${filter}: code ${code}, asked for QoS ${qos}`);
      },
      onPublishes(fn) {
        onPub = fn;
      },
      onAcks(listener) {
        flows.acks = listener;
      },
      nextPuback: () => wait(TYPE.PUBACK).then(() => {}),
      awaitingPubrel: () => flows.awaitingPubrel,
      end() {
        return new Promise((ok) => {
          socket.once('close', () => ok());
          socket.end(encode({ cmd: 'disconnect' }, PV));
        });
      },
    };

    const flows = new FlowAnswers();
    const reader = new FrameReader((first, bytes, at, length) => {
      const type = first >> 4;
      // PUBACKs also go on to `nextPuback` waiters.
      if (flows.frame(first, bytes, at, length) && type !== TYPE.PUBACK) return;
      if (type === TYPE.CONNACK && !connected) {
        connected = true;
        const code = bytes[at + 1] as number;
        if (code !== 0) reject(new Error(`CONNACK refused: ${code}`));
        else resolve(conn);
        return;
      }
      waiters.get(type)?.shift()?.(bytes, at, length);
    });

    socket.once('error', reject);
    socket.on('connect', () => {
      socket.write(encode({ cmd: 'connect', clientId, clean: true, keepalive }, PV));
    });
    socket.on('data', (chunk: Buffer) => {
      reader.push(chunk);
      const count = flows.endOfRead(socket);
      if (count > 0) onPub(count);
      flows.acks?.flush();
    });
  });
}

/** A bare connected socket as a `BenchConn`: the idle floor, which never publishes nor pings. */
export async function rawIdleConn(
  port: number,
  clientId: string,
  keepalive: number,
): Promise<BenchConn> {
  const raw = await rawConnect(port, clientId, keepalive);
  return {
    publish() {},
    subscribe: async () => {},
    onMessage() {},
    pings: () => 0,
    end: () => raw.end(),
  };
}
