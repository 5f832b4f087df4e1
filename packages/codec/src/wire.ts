/// <reference path="./mqtt-packet.d.ts" />
/**
 * The only module that knows mqtt-packet's object shapes (`messageId`, `granted`, `returnCode`,
 * `nl`/`rap`/`rh`, Buffers). Everything else uses the spec-named model in `packets.ts`.
 */
// biome-ignore lint/style/useNodejsImportProtocol: plain 'buffer', which the browser build (scripts/build-browser.ts) replaces with src/shims/buffer.ts.
import { Buffer } from 'buffer';
import Parser from 'mqtt-packet/parser.js';
import writeToStream from 'mqtt-packet/writeToStream.js';
import type { FrameInfo } from './check-frame.js';
import type { Packet, ProtocolVersion, QoS, UserProperties } from './packets.js';
import { BufferList } from './shims/bl.js';

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

/** A plain Uint8Array over the same memory (no copy): `bytes` itself unless it is a Buffer. */
function u8(bytes: Uint8Array): Uint8Array {
  if (Object.getPrototypeOf(bytes) === Uint8Array.prototype) return bytes;
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
  const record = p as Props;
  for (const key of Object.keys(record)) {
    const value = record[key];
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
        // As it is: writeToStream measures and writes any Uint8Array, Buffer or not.
        payload: p.payload,
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

/**
 * Where mqtt-packet's writeToStream writes one packet: the chunks in order, kept by reference.
 * It stands in for generate()'s accumulator, which is an EventEmitter (set up for every packet)
 * and is always joined into one buffer; this one can leave the last chunk out (a PUBLISH
 * payload). A refused packet throws from `destroy`, as the accumulator's unhandled 'error' does.
 */
class ChunkCollector {
  readonly chunks: (Uint8Array | string)[] = [];

  write(chunk: Uint8Array | string): boolean {
    this.chunks.push(chunk);
    return true;
  }

  destroy(error?: Error): void {
    if (error) throw error;
  }

  /**
   * The first `count` chunks joined into one new buffer, up to the first undefined one, as the
   * accumulator's concat does (mqtt-packet writes one for some malformed packets).
   */
  join(count: number): Uint8Array {
    const { chunks } = this;
    let total = 0;
    let end = 0;
    for (; end < count; end++) {
      const chunk = chunks[end];
      if (chunk === undefined) break;
      total += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    }
    const out = Buffer.allocUnsafe(total);
    let at = 0;
    for (let i = 0; i < end; i++) {
      const chunk = chunks[i] as Uint8Array | string;
      if (typeof chunk === 'string') at += out.write(chunk, at);
      else {
        out.set(chunk, at);
        at += chunk.length;
      }
    }
    return out;
  }
}

function collect(wire: object, v: ProtocolVersion): ChunkCollector {
  const collector = new ChunkCollector();
  writeToStream(wire, collector, { protocolVersion: v });
  return collector;
}

/**
 * The packet's bytes, as mqtt-packet's generate() gives them; throws mqtt-packet's plain Errors
 * (the caller wraps them).
 */
export function generateWire(wire: object, v: ProtocolVersion): Uint8Array {
  const collector = collect(wire, v);
  return collector.join(collector.chunks.length);
}

/**
 * The bytes of a PUBLISH up to, not including, its payload: `generateWire` of the same packet is
 * these bytes followed by the payload. mqtt-packet counts the payload in the Remaining Length and
 * writes it last, as its own chunk, so the header is every chunk but that one (the payload is
 * never copied).
 */
export function generatePublishHeaderWire(
  wire: { payload: Uint8Array },
  v: ProtocolVersion,
): Uint8Array {
  const collector = collect(wire, v);
  const last = collector.chunks.length - 1;
  if (collector.chunks[last] !== wire.payload) {
    // Only if a newer mqtt-packet stopped writing the payload last and by itself.
    throw new Error('mqtt-packet did not write the PUBLISH payload as its last chunk');
  }
  return collector.join(last);
}

export type WireResult = { packet: WirePacket } | { error: unknown };

/**
 * One mqtt-packet parser, fed exactly one whole frame at a time. The frame goes in through our
 * own list (`shims/bl.ts`): its reads index the frame and its slices are views, where bl makes a
 * Buffer slice for every integer it reads. (In the browser build it is the parser's list anyway.)
 */
export function createWireParser(): (frame: Uint8Array, v: ProtocolVersion) => WireResult {
  let packet: WirePacket | undefined;
  let error: unknown;
  const list = new BufferList();
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
    // Once a packet is complete the parser moves on to a fresh list of its own (empty here).
    parser._list = list.clear();
    let left = 0;
    try {
      left = parser.parse(frame);
    } catch (e) {
      error = e;
    }
    list.clear();
    if (error === undefined && (packet === undefined || left !== 0)) {
      error = new Error(`mqtt-packet left ${left} bytes unparsed`);
    }
    if (error !== undefined) {
      // Never reuse a parser whose state may hold a failed frame.
      parser = Parser.parser({ protocolVersion: v });
      listen();
      return { error };
    }
    return { packet: packet as unknown as WirePacket };
  };
}
