// Hand-encoded MQTT packets for testkit's own tests: @mqttkit/codec depends on testkit for its
// tests, so importing it here would make a build cycle. Only what the broker tests send and read.
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';

export type Version = 4 | 5;

function str(s: string): Buffer {
  const b = Buffer.from(s, 'utf8');
  const len = Buffer.alloc(2);
  len.writeUInt16BE(b.length);
  return Buffer.concat([len, b]);
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}

function varint(n: number): Buffer {
  const out: number[] = [];
  let x = n;
  do {
    let byte = x % 128;
    x = Math.floor(x / 128);
    if (x > 0) byte |= 0x80;
    out.push(byte);
  } while (x > 0);
  return Buffer.from(out);
}

function packet(firstByte: number, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([firstByte]), varint(body.length), body]);
}

/** An empty MQTT 5 property list; nothing under 3.1.1. */
function noProps(v: Version): Buffer {
  return v === 5 ? Buffer.from([0]) : Buffer.alloc(0);
}

export function connectPacket(
  v: Version,
  clientId: string,
  auth?: { username: string; password: string },
): Buffer {
  // clean session/start (0x02), plus username (0x80) and password (0x40) flags
  const flags = 0x02 | (auth ? 0xc0 : 0);
  return packet(
    0x10,
    str('MQTT'),
    Buffer.from([v, flags]),
    u16(10),
    noProps(v),
    str(clientId),
    ...(auth ? [str(auth.username), str(auth.password)] : []),
  );
}

export function subscribePacket(
  v: Version,
  packetId: number,
  filters: ReadonlyArray<[string, number]>,
): Buffer {
  const entries = filters.map(([f, qos]) => Buffer.concat([str(f), Buffer.from([qos])]));
  return packet(0x82, u16(packetId), noProps(v), ...entries);
}

export function unsubscribePacket(
  v: Version,
  packetId: number,
  filters: readonly string[],
): Buffer {
  return packet(0xa2, u16(packetId), noProps(v), ...filters.map(str));
}

export function publishPacket(
  v: Version,
  topic: string,
  payload: string,
  qos: 0 | 1 | 2,
  packetId = 0,
): Buffer {
  return packet(
    0x30 | (qos << 1),
    str(topic),
    qos > 0 ? u16(packetId) : Buffer.alloc(0),
    noProps(v),
    Buffer.from(payload),
  );
}

export interface RawPacket {
  /** Packet type, the high nibble of the first byte (2 CONNACK, 3 PUBLISH, 4 PUBACK, ...). */
  type: number;
  flags: number;
  body: Buffer;
}

/** A socket that yields whole packets, each awaited with a timeout. */
export class RawClient {
  private buffer = Buffer.alloc(0);
  private readonly packets: RawPacket[] = [];
  private waiter: (() => void) | undefined;
  closed = false;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.split();
      this.waiter?.();
    });
    socket.on('close', () => {
      this.closed = true;
      this.waiter?.();
    });
    socket.on('error', () => {});
  }

  static async open(port: number): Promise<RawClient> {
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    return new RawClient(socket);
  }

  send(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  async next(timeoutMs = 2000): Promise<RawPacket> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const p = this.packets.shift();
      if (p) return p;
      if (this.closed) throw new Error('connection closed while waiting for a packet');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no packet within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = undefined;
    }
  }

  close(): void {
    this.socket.destroy();
  }

  private split(): void {
    for (;;) {
      if (this.buffer.length < 2) return;
      let len = 0;
      let mul = 1;
      let i = 1;
      for (;;) {
        if (i >= this.buffer.length) return;
        const byte = this.buffer[i] as number;
        len += (byte & 0x7f) * mul;
        mul *= 128;
        i++;
        if ((byte & 0x80) === 0) break;
      }
      if (this.buffer.length < i + len) return;
      const first = this.buffer[0] as number;
      this.packets.push({
        type: first >> 4,
        flags: first & 0x0f,
        body: this.buffer.subarray(i, i + len),
      });
      this.buffer = this.buffer.subarray(i + len);
    }
  }
}

/** Skip an MQTT 5 property list at `offset`; returns the offset after it. */
export function skipProps(body: Buffer, offset: number): number {
  let len = 0;
  let mul = 1;
  let i = offset;
  for (;;) {
    const byte = body[i++] as number;
    len += (byte & 0x7f) * mul;
    mul *= 128;
    if ((byte & 0x80) === 0) break;
  }
  return i + len;
}

/** CONNACK return code (3.1.1) or reason code (5.0). */
export function connackCode(p: RawPacket): number {
  if (p.type !== 2) throw new Error(`expected CONNACK, got type ${p.type}`);
  return p.body[1] as number;
}

/** SUBACK/UNSUBACK: packet id and the per-filter codes (UNSUBACK under 3.1.1 has none). */
export function ackCodes(v: Version, p: RawPacket): { packetId: number; codes: number[] } {
  const packetId = p.body.readUInt16BE(0);
  const start = v === 5 ? skipProps(p.body, 2) : 2;
  return { packetId, codes: [...p.body.subarray(start)] };
}

/** PUBACK/PUBREC/PUBCOMP: packet id and reason code (absent means 0x00, MQTT 5 §3.4.2.1). */
export function pubAck(p: RawPacket): { type: number; packetId: number; reasonCode: number } {
  return {
    type: p.type,
    packetId: p.body.readUInt16BE(0),
    reasonCode: p.body.length > 2 ? (p.body[2] as number) : 0,
  };
}

/** PUBLISH received: topic and payload (QoS 0 expected by the tests that read it). */
export function publishOf(v: Version, p: RawPacket): { topic: string; payload: string } {
  if (p.type !== 3) throw new Error(`expected PUBLISH, got type ${p.type}`);
  const topicLen = p.body.readUInt16BE(0);
  const topic = p.body.subarray(2, 2 + topicLen).toString();
  const qos = (p.flags >> 1) & 3;
  let offset = 2 + topicLen + (qos > 0 ? 2 : 0);
  if (v === 5) offset = skipProps(p.body, offset);
  return { topic, payload: p.body.subarray(offset).toString() };
}
