/**
 * `encode` and `encodePublishHeader` over a table of per-packet encoders (`encode-*.ts`) and one
 * mqtt-packet wrapper. Each entry point passes its own: the full codec every packet and `wire.ts`,
 * `@mqttkit/codec/client` the client-to-server packets and `wire-client.ts`, so that nothing of
 * the other direction is in its module graph.
 */
import { PUBLISH_ENCODER } from './encode-both-ways.js';
import { checkProperties, fail } from './encode-fields.js';
import { CodecError } from './errors.js';
import {
  PACKET_NAMES,
  type Packet,
  type PacketCmd,
  type ProtocolVersion,
  type PublishPacket,
} from './packets.js';
import { publishBytes } from './publish-bytes.js';
import { type Props, propsToWire } from './wire-model.js';

export interface EncodeOptions {
  protocolVersion: ProtocolVersion;
}

export interface PacketEncoder<P extends Packet> {
  /** Throws `InvalidPacketError` for a field that cannot be sent; properties are checked apart. */
  validate(p: P, v: ProtocolVersion): void;
  /** mqtt-packet's object for the validated packet, its properties already translated. */
  toWire(p: P, v: ProtocolVersion, properties: Props | undefined): object;
}

export type PacketEncoders = {
  readonly [C in PacketCmd]?: PacketEncoder<Extract<Packet, { cmd: C }>>;
};

/** The generator half of `wire.ts` (or `wire-client.ts`). */
export interface WireGenerator {
  generateWire(wire: object, v: ProtocolVersion): Uint8Array;
  generatePublishHeaderWire(wire: { payload: Uint8Array }, v: ProtocolVersion): Uint8Array;
}

function version(options: EncodeOptions): ProtocolVersion {
  const v = options?.protocolVersion;
  if (v !== 4 && v !== 5) fail(`protocolVersion must be 4 or 5, got ${String(v)}`);
  return v;
}

/** A ping's properties are ignored: PINGREQ and PINGRESP cannot carry any. */
const propertiesOf = (p: Packet): object | undefined =>
  p.cmd === 'pingreq' || p.cmd === 'pingresp' ? undefined : p.properties;

const encoderOf = (encoders: PacketEncoders, p: Packet) =>
  encoders[p.cmd] as PacketEncoder<Packet> | undefined;

/** Validates `p`: its fields, then its properties. */
function validate(encoders: PacketEncoders, p: Packet, v: ProtocolVersion): void {
  if (typeof p !== 'object' || p === null) fail('packet must be an object');
  const encoder = encoderOf(encoders, p);
  if (!encoder) {
    const cmd: unknown = (p as { cmd: unknown }).cmd;
    // Only `@mqttkit/codec/client` leaves packet types out of its table: those a server sends.
    if (PACKET_NAMES.includes(cmd as PacketCmd)) {
      fail(
        `${String(cmd).toUpperCase()} is sent by a server; @mqttkit/codec/client encodes ` +
          'client-to-server packets only',
      );
    }
    fail(`unknown cmd '${String(cmd)}'`);
  }
  encoder.validate(p, v);
  checkProperties(propertiesOf(p), p.cmd, v);
}

/** mqtt-packet's object for a packet that `validate` accepted. */
export function toWire(encoders: PacketEncoders, p: Packet, v: ProtocolVersion): object {
  const properties = v === 5 ? propsToWire(propertiesOf(p)) : undefined;
  return (encoderOf(encoders, p) as PacketEncoder<Packet>).toWire(p, v, properties);
}

const PUBLISH_ONLY: PacketEncoders = { publish: PUBLISH_ENCODER };

function refused(e: unknown): never {
  if (e instanceof CodecError) throw e;
  // Whatever mqtt-packet still refuses (e.g. a Remaining Length over 268,435,455).
  fail(`mqtt-packet refused the packet: ${(e as Error)?.message ?? String(e)}`, e);
}

export function encodeWith(
  encoders: PacketEncoders,
  wire: WireGenerator,
  packet: Packet,
  options: EncodeOptions,
): Uint8Array {
  const v = version(options);
  validate(encoders, packet, v);
  try {
    if (packet.cmd === 'publish') {
      const bytes = publishBytes(packet, v, true);
      if (bytes !== undefined) return bytes;
    }
    return wire.generateWire(toWire(encoders, packet, v), v);
  } catch (e) {
    refused(e);
  }
}

export function encodePublishHeaderWith(
  wire: WireGenerator,
  packet: PublishPacket,
  options: EncodeOptions,
): Uint8Array {
  const v = version(options);
  if (typeof packet !== 'object' || packet === null || packet.cmd !== 'publish') {
    fail('encodePublishHeader needs a PUBLISH packet');
  }
  validate(PUBLISH_ONLY, packet, v);
  try {
    const bytes = publishBytes(packet, v, false);
    if (bytes !== undefined) return bytes;
    const w = toWire(PUBLISH_ONLY, packet, v) as { payload: Uint8Array };
    return wire.generatePublishHeaderWire(w, v);
  } catch (e) {
    refused(e);
  }
}
