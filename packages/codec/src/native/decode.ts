/**
 * The commonest inbound packets built straight from a frame that its walk accepted, without
 * mqtt-packet's parser: every PUBLISH, its properties taken from the walk, and a PUBACK, PUBREC,
 * PUBREL or PUBCOMP without properties (`decodesPublish`, `decodesAck`). The result is the packet mqtt-packet's
 * path gives for the same frame, field for field (test/differential.test.ts holds them to that).
 */
import type { FrameInfo } from '../framing/frame-reader.js';
import type { Packet, ProtocolVersion, QoS } from '../model/packets.js';
import { plainBytes as u8 } from '../model/plain-bytes.js';

type AckCmd = 'puback' | 'pubrec' | 'pubrel' | 'pubcomp';
const ACKS: Readonly<Record<number, AckCmd | undefined>> = {
  4: 'puback',
  5: 'pubrec',
  6: 'pubrel',
  7: 'pubcomp',
};

/** Whether `decodeFrame` builds this PUBLISH: the walk kept its fields (it always does). */
export const decodesPublish = (info: FrameInfo): boolean => info.publish !== undefined;

/**
 * Whether `decodeFrame` builds this acknowledgement: a Packet Identifier and, under MQTT 5, at
 * most a Reason Code (3 bytes); properties (4 or more) are mqtt-packet's.
 */
export const decodesAck = (bodyLength: number, v: ProtocolVersion): boolean =>
  bodyLength <= (v === 5 ? 3 : 2);

/** Binary property values as plain Uint8Arrays (the frame may be a Buffer), in place. */
function plainViews(props: Record<string, unknown>): Record<string, unknown> {
  for (const key of Object.keys(props)) {
    const value = props[key];
    if (value instanceof Uint8Array) props[key] = u8(value);
  }
  return props;
}

/** The packet of a frame that `decodesPublish` or `decodesAck` accepted. */
export function decodeFrame(frame: Uint8Array, bodyStart: number, info: FrameInfo): Packet {
  const first = frame[0] as number;
  const type = first >> 4;
  const publish = info.publish;
  if (type === 3 && publish !== undefined) {
    const qos = ((first >> 1) & 0x03) as QoS;
    const packet: Packet = {
      cmd: 'publish',
      topic: publish.topic,
      payload: u8(frame.subarray(bodyStart + publish.payloadStart)),
      qos,
      retain: (first & 0x01) !== 0,
      dup: (first & 0x08) !== 0,
    };
    if (qos > 0) packet.packetId = publish.packetId as number;
    if (publish.properties !== undefined) packet.properties = plainViews(publish.properties);
    return packet;
  }
  const cmd = ACKS[type];
  if (cmd === undefined) throw new Error(`the native decoder does not build packet type ${type}`);
  return {
    cmd,
    packetId: ((frame[bodyStart] as number) << 8) | (frame[bodyStart + 1] as number),
    reasonCode: frame.length - bodyStart === 3 ? (frame[bodyStart + 2] as number) : 0,
  };
}
