/**
 * PUBACK, PUBREC, PUBREL and PUBCOMP without properties, written directly (`encodesAck`): the
 * bytes mqtt-packet writes for the same packet (test/differential.test.ts holds them to that).
 */
import type { Packet, ProtocolVersion } from '../model/packets.js';
import { allocate } from './slab.js';

type Ack = Extract<Packet, { cmd: 'puback' | 'pubrec' | 'pubrel' | 'pubcomp' }>;

/** First byte of each: type and the flags of [MQTT-2.2.2-1] (PUBREL's are 0b0010). */
const FIRST_BYTE = { puback: 0x40, pubrec: 0x50, pubrel: 0x62, pubcomp: 0x70 } as const;

/** Whether `ackBytes` writes this acknowledgement: it sets no property. */
export function encodesAck(p: Ack): boolean {
  const props = p.properties as Record<string, unknown> | undefined;
  if (props === undefined) return true;
  for (const key of Object.keys(props)) if (props[key] !== undefined) return false;
  return true;
}

/**
 * The whole acknowledgement. Under MQTT 5 a Reason Code 0 and no properties are left out
 * [MQTT-3.4.2-1]; any other code is followed by a Property Length of 0.
 */
export function ackBytes(p: Ack, v: ProtocolVersion): Uint8Array {
  const code = p.reasonCode ?? 0;
  const long = v === 5 && code !== 0;
  const out = allocate(long ? 6 : 4);
  out[0] = FIRST_BYTE[p.cmd];
  out[1] = long ? 4 : 2;
  out[2] = p.packetId >> 8;
  out[3] = p.packetId & 0xff;
  if (long) {
    out[4] = code;
    out[5] = 0;
  }
  return out;
}
