/**
 * The mqtt-packet implementation (table/implementation.ts): every packet type, through the
 * translations in to-wire.ts and from-wire.ts and mqtt-packet's generator and parser (wire.ts).
 */
import type { FrameInfo } from '../framing/frame-reader.js';
import { MalformedPacketError } from '../model/errors.js';
import {
  PACKET_NAMES,
  type Packet,
  type PacketCmd,
  type ProtocolVersion,
} from '../model/packets.js';
import type { PacketImplementation } from '../table/implementation.js';
import { FROM_WIRE } from './from-wire.js';
import { TO_WIRE } from './to-wire.js';
import { generatePublishHeaderWire, generateWire, parseWire } from './wire.js';
import { propsFromWire, propsToWire } from './wire-model.js';

/** A ping's properties are ignored: PINGREQ and PINGRESP cannot carry any. */
const propertiesOf = (p: Packet): object | undefined =>
  p.cmd === 'pingreq' || p.cmd === 'pingresp' ? undefined : p.properties;

/** mqtt-packet's object for a packet that its check accepted. */
export function toWire(p: Packet, v: ProtocolVersion): object {
  const properties = v === 5 ? propsToWire(propertiesOf(p)) : undefined;
  const translate = TO_WIRE[p.cmd] as (p: Packet, v: ProtocolVersion, props: unknown) => object;
  return translate(p, v, properties);
}

export const MQTT_PACKET: PacketImplementation = {
  encode: (p, v) => generateWire(toWire(p, v), v),
  encodePublishHeader: (p, v) =>
    generatePublishHeaderWire(toWire(p, v) as { payload: Uint8Array }, v),
  decode(frame: Uint8Array, bodyStart: number, info: FrameInfo, v: ProtocolVersion): Packet {
    const type = (frame[0] as number) >> 4;
    const cmd = PACKET_NAMES[type] as PacketCmd;
    // 3.15.2.1: AUTH with Remaining Length 0 means Success; mqtt-packet cannot parse it.
    if (cmd === 'auth' && frame.length === bodyStart) return { cmd: 'auth', reasonCode: 0 };
    const result = parseWire(frame, v);
    if ('error' in result) {
      const message = (result.error as Error)?.message ?? String(result.error);
      throw new MalformedPacketError(`${cmd.toUpperCase()}: ${message}`, { cause: result.error });
    }
    const w = result.packet;
    return FROM_WIRE[cmd](w, v, info, propsFromWire(w.properties, info.userProperties));
  },
};
