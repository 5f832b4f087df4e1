/**
 * The native decode path (`native/decode.ts`) must give exactly what the mqtt-packet path gives
 * for every frame the packet table routes to it: valid packets of all kinds, and the same frames
 * with bytes mutated (whatever the frame's walk still accepts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type FrameInfo, Reader } from '../src/framing/frame-reader.js';
import { encode, type Packet, type ProtocolVersion, type PublishPacket } from '../src/index.js';
import { MQTT_PACKET } from '../src/mqtt-packet/implementation.js';
import { NATIVE } from '../src/native/implementation.js';
import { PACKET_TABLE, routeOfType } from '../src/table/packet-table.js';
import { packetArb } from './arbitraries.js';

/** The frame's walk; its FrameInfo, or undefined when the walk refuses it. */
function checkFrame(type: number, flags: number, body: Uint8Array, v: ProtocolVersion) {
  const route = routeOfType(PACKET_TABLE, type);
  if (route === undefined) throw new Error(`type ${type}`);
  const info: FrameInfo = {};
  route.checkFrame(new Reader(body, body.length, 'X'), flags, v, info);
  return info;
}

/** The native packet when the table routes the frame to the native path, else undefined. */
function fastDecode(frame: Uint8Array, bodyStart: number, info: FrameInfo, v: ProtocolVersion) {
  const route = routeOfType(PACKET_TABLE, frame[0]! >> 4);
  if (route?.decodedBy(frame.length - bodyStart, info, v) !== 'native') return undefined;
  return NATIVE.decode(frame, bodyStart, info, v);
}

/** Length of the fixed header of a well-formed frame (type byte + Remaining Length). */
function headerLength(frame: Uint8Array): number {
  let at = 1;
  while ((frame[at] as number) & 0x80) at++;
  return at + 1;
}

/** Both paths for one frame; undefined when checkFrame refuses it or the fast path passes. */
function bothPaths(
  frame: Uint8Array,
  v: ProtocolVersion,
): { fast: Packet; slow: Packet | string } | undefined {
  const bodyStart = headerLength(frame);
  let info: ReturnType<typeof checkFrame>;
  try {
    info = checkFrame(frame[0]! >> 4, frame[0]! & 0x0f, frame.subarray(bodyStart), v);
  } catch {
    return undefined;
  }
  const fast = fastDecode(frame, bodyStart, info, v);
  if (fast === undefined) return undefined;
  let slow: Packet | string;
  try {
    slow = MQTT_PACKET.decode(frame, bodyStart, info, v);
  } catch (e) {
    slow = `error ${String(e)}`;
  }
  return { fast, slow };
}

/** Ack frames of every kind with any packet id and reason code, with and without the code. */
const ackFrame = fc
  .tuple(
    fc.integer({ min: 4, max: 7 }),
    fc.integer({ min: 1, max: 0xffff }),
    fc.nat(255),
    fc.boolean(),
  )
  .map(([type, id, code, withCode]) =>
    Uint8Array.from([
      (type << 4) | (type === 6 ? 2 : 0),
      withCode ? 3 : 2,
      id >> 8,
      id & 0xff,
      ...(withCode ? [code] : []),
    ]),
  );

describe('fast decode path', () => {
  for (const v of [4, 5] as const) {
    it(`gives the mqtt-packet path's packet for every frame it takes (MQTT ${v})`, () => {
      let taken = 0;
      const plainPublish = packetArb(v)
        .filter((p): p is PublishPacket => p.cmd === 'publish' && p.topic !== '')
        .map((p): PublishPacket => ({ ...p, properties: undefined }));
      const frames = fc.oneof(
        packetArb(v).map((p) => encode(p, { protocolVersion: v })),
        plainPublish.map((p) => encode(p, { protocolVersion: v })),
        ackFrame,
      );
      fc.assert(
        fc.property(frames, fc.nat(), fc.nat(255), fc.boolean(), (frame, at, byte, mutate) => {
          const input = Uint8Array.from(frame);
          // Mutate a body byte (the fixed header stays well formed).
          const bodyStart = headerLength(input);
          if (mutate && input.length > bodyStart) {
            input[bodyStart + (at % (input.length - bodyStart))] = byte;
          }
          const paths = bothPaths(input, v);
          if (paths === undefined) return;
          taken++;
          expect(paths.fast).toEqual(paths.slow);
          if (paths.fast.cmd === 'publish') {
            expect(Object.getPrototypeOf(paths.fast.payload)).toBe(Uint8Array.prototype);
          }
        }),
        { numRuns: 5000 },
      );
      // Not vacuous: a good share of the frames took the fast path.
      expect(taken).toBeGreaterThan(500);
    });
  }

  it('takes a PUBLISH with properties too, and leaves acks with properties and other types to the general path', () => {
    const withProps: Packet = {
      cmd: 'publish',
      topic: 'a/b',
      payload: new Uint8Array([1]),
      qos: 1,
      packetId: 9,
      retain: false,
      dup: false,
      properties: { contentType: 'x' },
    };
    const frame = encode(withProps, { protocolVersion: 5 });
    const info = checkFrame(3, frame[0]! & 0x0f, frame.subarray(2), 5);
    // Since issue 16 the walk keeps a PUBLISH's properties, and the native path builds it.
    expect(fastDecode(frame, 2, info, 5)).toEqual(withProps);
    expect(fastDecode(frame, 2, info, 5)).toEqual(MQTT_PACKET.decode(frame, 2, info, 5));
    const ackWithProps = Uint8Array.from([0x40, 5, 0, 1, 0x10, 1, 0x1f]);
    expect(fastDecode(ackWithProps, 2, {}, 5)).toBeUndefined();
    expect(fastDecode(Uint8Array.from([0xd0, 0]), 2, {}, 5)).toBeUndefined();
  });
});
