/**
 * The raw peer's frame reader: the same frames and the same bytes read whatever way the stream
 * is cut into reads (frames split across reads, several frames in one read, one byte a read).
 */
import { encode, type Packet } from '@mqttkit/codec';
import { describe, expect, it } from 'vitest';
import { FrameReader } from '../src/raw-frames.js';

const PV = { protocolVersion: 5 } as const;
const bytes = (packet: Packet): Buffer => Buffer.from(encode(packet, PV));
const u16 = (n: number): Buffer => Buffer.from([n >> 8, n & 0xff]);
const publish = (topic: string, size: number, qos: 0 | 1 | 2, packetId?: number): Packet => ({
  cmd: 'publish',
  topic,
  payload: Buffer.alloc(size, 0x61),
  qos,
  retain: false,
  dup: false,
  ...(packetId === undefined ? {} : { packetId }),
});
const longTopic = `t/${'x'.repeat(300)}`;

/** Each frame with what the reader must hand over of it: first byte, then the read part. */
const FRAMES: Array<{ frame: Buffer; read: Buffer }> = [
  {
    frame: bytes({ cmd: 'connack', sessionPresent: false, reasonCode: 0 }),
    read: Buffer.from([0, 0, 0]),
  },
  { frame: bytes(publish('a/b', 64, 0)), read: Buffer.alloc(0) },
  {
    frame: bytes(publish('a/b', 300, 1, 513)),
    read: Buffer.concat([u16(3), Buffer.from('a/b'), u16(513)]),
  },
  {
    frame: bytes(publish(longTopic, 16_384, 2, 65_535)),
    read: Buffer.concat([u16(longTopic.length), Buffer.from(longTopic), u16(65_535)]),
  },
  { frame: bytes({ cmd: 'pubrel', packetId: 7 }), read: u16(7) },
  {
    frame: bytes({ cmd: 'puback', packetId: 258, reasonCode: 0x10 }),
    // MQTT 5 with a reason code: id, reason, properties length (0).
    read: Buffer.from([1, 2, 0x10, 0]),
  },
  { frame: bytes({ cmd: 'pingresp' }), read: Buffer.alloc(0) },
  { frame: bytes(publish('q', 0, 1, 1)), read: Buffer.concat([u16(1), Buffer.from('q'), u16(1)]) },
  { frame: bytes({ cmd: 'pubcomp', packetId: 9 }), read: u16(9) },
  { frame: bytes(publish('z', 20_000, 0)), read: Buffer.alloc(0) },
];
const STREAM = Buffer.concat(FRAMES.map((f) => f.frame));
const EXPECTED = FRAMES.map(
  (f) => `${(f.frame[0] as number).toString(16)}:${f.read.toString('hex')}`,
);

function readAll(chunks: Buffer[]): string[] {
  const seen: string[] = [];
  const reader = new FrameReader((first, buf, at, length) => {
    seen.push(`${first.toString(16)}:${buf.subarray(at, at + length).toString('hex')}`);
  });
  for (const chunk of chunks) reader.push(chunk);
  return seen;
}

describe('FrameReader', () => {
  it('reads every frame from one read', () => {
    expect(readAll([STREAM])).toEqual(EXPECTED);
  });

  it('reads the same at every cut of the stream into two reads', () => {
    for (let cut = 1; cut < STREAM.length; cut++) {
      const seen = readAll([STREAM.subarray(0, cut), STREAM.subarray(cut)]);
      if (seen.join() !== EXPECTED.join()) expect(seen, `cut at ${cut}`).toEqual(EXPECTED);
    }
  });

  it('reads the same one byte a read, and in reads of varied sizes', () => {
    const single = [...STREAM].map((b) => Buffer.from([b]));
    expect(readAll(single)).toEqual(EXPECTED);
    for (const size of [2, 3, 5, 7, 64, 301, 4096]) {
      const chunks: Buffer[] = [];
      for (let at = 0; at < STREAM.length; at += size) chunks.push(STREAM.subarray(at, at + size));
      expect(readAll(chunks), `reads of ${size}`).toEqual(EXPECTED);
    }
  });

  it('hands over a frame only once it is complete', () => {
    const last = FRAMES.at(-1)?.frame as Buffer;
    const before = STREAM.length - last.length;
    expect(readAll([STREAM.subarray(0, STREAM.length - 1)])).toEqual(EXPECTED.slice(0, -1));
    expect(readAll([STREAM.subarray(0, before + 10)])).toEqual(EXPECTED.slice(0, -1));
  });
});
