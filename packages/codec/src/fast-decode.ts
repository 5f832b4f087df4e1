/**
 * The commonest inbound packets built straight from a frame that `checkFrame` accepted, without
 * mqtt-packet's parser: a PUBLISH without properties and a PUBACK, PUBREC, PUBREL or PUBCOMP
 * without properties. The result is the packet the mqtt-packet path (`fromWire` in decode-*.ts) gives
 * for the same frame, field for field (`test/fast-decode.test.ts` holds them to that); anything
 * else returns undefined and takes that path.
 */
import type { FrameInfo } from './check-frame.js';
import type { Packet, ProtocolVersion, QoS } from './packets.js';
import { u8 } from './wire-model.js';

type AckCmd = 'puback' | 'pubrec' | 'pubrel' | 'pubcomp';
const ACKS: Readonly<Record<number, AckCmd | undefined>> = {
  4: 'puback',
  5: 'pubrec',
  6: 'pubrel',
  7: 'pubcomp',
};

export function fastDecode(
  frame: Uint8Array,
  bodyStart: number,
  info: FrameInfo,
  v: ProtocolVersion,
): Packet | undefined {
  const first = frame[0] as number;
  const type = first >> 4;
  const bodyLength = frame.length - bodyStart;
  if (type === 3) {
    const plainPublish = info.plainPublish;
    if (plainPublish === undefined) return undefined;
    const qos = ((first >> 1) & 0x03) as QoS;
    const packet: Packet = {
      cmd: 'publish',
      topic: plainPublish.topic,
      payload: u8(frame.subarray(bodyStart + plainPublish.payloadStart)),
      qos,
      retain: (first & 0x01) !== 0,
      dup: (first & 0x08) !== 0,
    };
    if (qos > 0) packet.packetId = plainPublish.packetId as number;
    return packet;
  }
  const cmd = ACKS[type];
  // MQTT 5 may add a Reason Code (3 bytes); properties (4 or more) take the general path.
  if (cmd === undefined || bodyLength > (v === 5 ? 3 : 2)) return undefined;
  return {
    cmd,
    packetId: ((frame[bodyStart] as number) << 8) | (frame[bodyStart + 1] as number),
    reasonCode: bodyLength === 3 ? (frame[bodyStart + 2] as number) : 0,
  };
}
