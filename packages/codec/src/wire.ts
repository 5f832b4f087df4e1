/// <reference path="./mqtt-packet.d.ts" />
/**
 * The only module that knows mqtt-packet's object shapes (`messageId`, `granted`, `returnCode`,
 * `nl`/`rap`/`rh`, Buffers). Everything else uses the spec-named model in `packets.ts`.
 */
// biome-ignore lint/style/useNodejsImportProtocol: plain 'buffer', which the browser build (scripts/build-browser.ts) replaces with src/shims/buffer.ts.
import { Buffer } from 'buffer';
import generate from 'mqtt-packet/generate.js';
import Parser from 'mqtt-packet/parser.js';
import type { FrameInfo } from './check-frame.js';
import type { Packet, ProtocolVersion, QoS, UserProperties } from './packets.js';

type Props = Record<string, unknown>;

/** The fields of mqtt-packet's parsed objects that we read. */
interface WirePacket {
  cmd: string;
  messageId?: number;
  qos?: number;
  dup?: boolean;
  retain?: boolean;
  topic?: string;
  payload?: Uint8Array;
  reasonCode?: number;
  returnCode?: number;
  sessionPresent?: boolean;
  granted?: number[];
  subscriptions?: { topic: string; qos: number; nl?: boolean; rap?: boolean; rh?: number }[];
  unsubscriptions?: string[];
  protocolVersion?: number;
  clientId?: string;
  clean?: boolean;
  keepalive?: number;
  username?: string;
  password?: Uint8Array;
  will?: { topic: string; payload: Uint8Array; qos: number; retain: boolean; properties?: Props };
  properties?: Props;
}

/** A Buffer view over the same memory (no copy), as mqtt-packet wants Buffers. */
function buf(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A plain Uint8Array view over the same memory (no copy). */
function u8(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function propsFromWire(w: Props | undefined, user: UserProperties | undefined): Props | undefined {
  if (!w) return undefined;
  const out: Props = {};
  let any = false;
  for (const key of Object.keys(w)) {
    const value = w[key];
    if (value === undefined) continue;
    any = true;
    if (key === 'userProperties') {
      // Replaced by check-frame's own reading (see FrameInfo); keep a placeholder here.
      if (user) out.userProperties = user;
    } else if (key === 'subscriptionIdentifier' && Array.isArray(value)) {
      out[key] = value;
    } else if (value instanceof Uint8Array) {
      out[key] = u8(value);
    } else {
      out[key] = value;
    }
  }
  return any ? out : undefined;
}

function withProps<T extends object>(packet: T, props: Props | undefined): T {
  if (props) (packet as T & { properties?: Props }).properties = props;
  return packet;
}

/** Translates one mqtt-packet object (already validated by check-frame) to our model. */
export function fromWire(w: WirePacket, v: ProtocolVersion, info: FrameInfo): Packet {
  const props = propsFromWire(w.properties, info.userProperties);
  switch (w.cmd) {
    case 'connect': {
      const p: Packet = {
        cmd: 'connect',
        protocolVersion: w.protocolVersion as ProtocolVersion,
        clientId: w.clientId ?? '',
        clean: w.clean ?? false,
        keepalive: w.keepalive ?? 0,
      };
      if (w.username !== undefined) p.username = w.username;
      if (w.password !== undefined) p.password = u8(w.password);
      if (w.will) {
        p.will = withProps(
          {
            topic: w.will.topic,
            payload: u8(w.will.payload),
            qos: w.will.qos as QoS,
            retain: w.will.retain,
          },
          propsFromWire(w.will.properties, info.willUserProperties),
        );
      }
      return withProps(p, props);
    }
    case 'connack':
      return withProps(
        {
          cmd: 'connack',
          sessionPresent: w.sessionPresent ?? false,
          reasonCode: (v === 5 ? w.reasonCode : w.returnCode) ?? 0,
        },
        props,
      );
    case 'publish': {
      const p: Packet = {
        cmd: 'publish',
        topic: w.topic ?? '',
        payload: u8(w.payload ?? new Uint8Array(0)),
        qos: (w.qos ?? 0) as QoS,
        retain: w.retain ?? false,
        dup: w.dup ?? false,
      };
      if (p.qos > 0) p.packetId = w.messageId ?? 0;
      if (props && props.subscriptionIdentifier !== undefined) {
        const ids = props.subscriptionIdentifier;
        delete props.subscriptionIdentifier;
        props.subscriptionIdentifiers = Array.isArray(ids) ? ids : [ids];
      }
      return withProps(p, props);
    }
    case 'puback':
    case 'pubrec':
    case 'pubrel':
    case 'pubcomp':
      return withProps(
        { cmd: w.cmd, packetId: w.messageId ?? 0, reasonCode: w.reasonCode ?? 0 },
        props,
      );
    case 'subscribe':
      return withProps(
        {
          cmd: 'subscribe',
          packetId: w.messageId ?? 0,
          subscriptions: (w.subscriptions ?? []).map((s) =>
            v === 5
              ? {
                  topicFilter: s.topic,
                  qos: s.qos as QoS,
                  noLocal: s.nl ?? false,
                  retainAsPublished: s.rap ?? false,
                  retainHandling: (s.rh ?? 0) as 0 | 1 | 2,
                }
              : { topicFilter: s.topic, qos: s.qos as QoS },
          ),
        },
        props,
      );
    case 'suback':
      return withProps(
        { cmd: 'suback', packetId: w.messageId ?? 0, reasonCodes: w.granted ?? [] },
        props,
      );
    case 'unsubscribe':
      return withProps(
        { cmd: 'unsubscribe', packetId: w.messageId ?? 0, topicFilters: w.unsubscriptions ?? [] },
        props,
      );
    case 'unsuback':
      return withProps(
        { cmd: 'unsuback', packetId: w.messageId ?? 0, reasonCodes: w.granted ?? [] },
        props,
      );
    case 'pingreq':
    case 'pingresp':
      return { cmd: w.cmd };
    case 'disconnect':
    case 'auth':
      return withProps({ cmd: w.cmd, reasonCode: w.reasonCode ?? 0 }, props);
    default:
      // Unreachable: check-frame only passes the 15 known types.
      throw new Error(`mqtt-packet produced unknown cmd ${w.cmd}`);
  }
}

function propsToWire(p: object | undefined): Props | undefined {
  if (!p) return undefined;
  const out: Props = {};
  let any = false;
  for (const [key, value] of Object.entries(p)) {
    if (value === undefined) continue;
    any = true;
    if (key === 'subscriptionIdentifiers') out.subscriptionIdentifier = value;
    else if (value instanceof Uint8Array) out[key] = buf(value);
    else out[key] = value;
  }
  return any ? out : undefined;
}

/** Translates a validated packet to mqtt-packet's shape. */
export function toWire(p: Packet, v: ProtocolVersion): object {
  const properties =
    v === 5
      ? propsToWire(p.cmd === 'pingreq' || p.cmd === 'pingresp' ? undefined : p.properties)
      : undefined;
  switch (p.cmd) {
    case 'connect':
      return {
        cmd: 'connect',
        protocolId: 'MQTT',
        protocolVersion: v,
        clientId: p.clientId,
        clean: p.clean,
        keepalive: p.keepalive,
        username: p.username,
        password: p.password ? buf(p.password) : undefined,
        will: p.will
          ? {
              topic: p.will.topic,
              payload: buf(p.will.payload),
              qos: p.will.qos,
              retain: p.will.retain,
              properties: v === 5 ? propsToWire(p.will.properties) : undefined,
            }
          : undefined,
        properties,
      };
    case 'connack':
      return v === 5
        ? { cmd: 'connack', sessionPresent: p.sessionPresent, reasonCode: p.reasonCode, properties }
        : { cmd: 'connack', sessionPresent: p.sessionPresent, returnCode: p.reasonCode };
    case 'publish':
      return {
        cmd: 'publish',
        topic: p.topic,
        payload: buf(p.payload),
        qos: p.qos,
        retain: p.retain,
        dup: p.dup,
        messageId: p.packetId,
        properties,
      };
    case 'puback':
    case 'pubrec':
    case 'pubrel':
    case 'pubcomp':
      return { cmd: p.cmd, messageId: p.packetId, reasonCode: p.reasonCode ?? 0, properties };
    case 'subscribe':
      return {
        cmd: 'subscribe',
        messageId: p.packetId,
        subscriptions: p.subscriptions.map((s) =>
          v === 5
            ? {
                topic: s.topicFilter,
                qos: s.qos,
                nl: s.noLocal ?? false,
                rap: s.retainAsPublished ?? false,
                rh: s.retainHandling ?? 0,
              }
            : { topic: s.topicFilter, qos: s.qos },
        ),
        properties,
      };
    case 'suback':
      return { cmd: 'suback', messageId: p.packetId, granted: p.reasonCodes, properties };
    case 'unsubscribe':
      return {
        cmd: 'unsubscribe',
        messageId: p.packetId,
        unsubscriptions: p.topicFilters,
        properties,
      };
    case 'unsuback':
      return { cmd: 'unsuback', messageId: p.packetId, granted: p.reasonCodes, properties };
    case 'pingreq':
    case 'pingresp':
      return { cmd: p.cmd };
    case 'disconnect':
    case 'auth':
      return { cmd: p.cmd, reasonCode: p.reasonCode ?? 0, properties };
  }
}

/** mqtt-packet's generate; throws mqtt-packet's plain Errors (the caller wraps them). */
export function generateWire(wire: object, v: ProtocolVersion): Uint8Array {
  return generate(wire, { protocolVersion: v });
}

const NO_PAYLOAD = Buffer.alloc(0);
/** The largest Remaining Length a variable byte integer holds (mqtt-packet's VARBYTEINT_MAX). */
const MAX_REMAINING_LENGTH = 268_435_455;

/**
 * The bytes of a PUBLISH up to, not including, its payload: `generateWire` of the same packet is
 * these bytes followed by the payload. mqtt-packet writes the payload last and counts it only in
 * the Remaining Length, so we generate the packet with an empty payload (a small buffer, no
 * payload copy) and rewrite the Remaining Length to include `payloadLength`, which may make the
 * length field longer.
 */
export function generatePublishHeaderWire(
  wire: { payload?: unknown },
  payloadLength: number,
  v: ProtocolVersion,
): Uint8Array {
  const bare = generate({ ...wire, payload: NO_PAYLOAD }, { protocolVersion: v });
  let rest = 0;
  let factor = 1;
  let at = 1;
  let byte: number;
  do {
    byte = bare[at++] as number;
    rest += (byte & 0x7f) * factor;
    factor *= 128;
  } while (byte & 0x80);
  let length = rest + payloadLength;
  if (length > MAX_REMAINING_LENGTH) {
    // The same message mqtt-packet's generate throws for the whole packet.
    throw new Error(`Invalid variable byte integer: ${length}`);
  }
  const lengthBytes = length < 0x80 ? 1 : length < 0x4000 ? 2 : length < 0x200000 ? 3 : 4;
  const header = new Uint8Array(1 + lengthBytes + rest);
  header[0] = bare[0] as number;
  for (let i = 1; i <= lengthBytes; i++) {
    header[i] = (length % 128) | (i < lengthBytes ? 0x80 : 0);
    length = Math.floor(length / 128);
  }
  header.set(bare.subarray(at), 1 + lengthBytes);
  return header;
}

export type WireResult = { packet: WirePacket } | { error: unknown };

/** One mqtt-packet parser, fed exactly one whole frame at a time. */
export function createWireParser(): (frame: Uint8Array, v: ProtocolVersion) => WireResult {
  let packet: WirePacket | undefined;
  let error: unknown;
  let parser = Parser.parser({ protocolVersion: 4 });
  const listen = () => {
    parser.on('packet', (p) => {
      packet = p as WirePacket;
    });
    parser.on('error', (e) => {
      error = e ?? new Error('mqtt-packet reported an error');
    });
  };
  listen();
  return (frame, v) => {
    packet = undefined;
    error = undefined;
    // mqtt-packet replaces `settings` with a parsed CONNECT; reset it for every frame.
    parser.settings = { protocolVersion: v };
    let left = 0;
    try {
      left = parser.parse(buf(frame));
    } catch (e) {
      error = e;
    }
    if (error === undefined && (packet === undefined || left !== 0)) {
      error = new Error(`mqtt-packet left ${left} bytes unparsed`);
    }
    if (error !== undefined) {
      // Never reuse a parser whose buffer list may hold bytes from a failed frame.
      parser = Parser.parser({ protocolVersion: v });
      listen();
      return { error };
    }
    return { packet: packet as unknown as WirePacket };
  };
}
