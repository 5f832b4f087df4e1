/// <reference path="./mqtt-packet.d.ts" />
/**
 * The only module that imports mqtt-packet: its generator (`writeToStream`) and its parser,
 * through their published API only (no private fields). Node runs mqtt-packet as installed; the
 * browser build (scripts/build-browser.ts) bundles the same files into this module's output,
 * unchanged, with the Node modules they require replaced by `src/shims/`.
 */
// biome-ignore lint/style/useNodejsImportProtocol: plain 'buffer', which the browser build (scripts/build-browser.ts) replaces with src/shims/buffer.ts.
import { Buffer } from 'buffer';
import Parser, { type MqttPacketParser } from 'mqtt-packet/parser.js';
import writeToStream from 'mqtt-packet/writeToStream.js';
import type { ProtocolVersion } from '../model/packets.js';
import { CACHE_NUMBERS } from './number-cache.js';
import type { WirePacket, WireResult } from './wire-model.js';

export type { WireParser, WireResult } from './wire-model.js';

// mqtt-packet's public switch; only the browser build turns the cache off (number-cache.ts).
if (!CACHE_NUMBERS) writeToStream.cacheNumbers = false;

/** A Buffer view over the same memory (no copy), as mqtt-packet wants Buffers. */
function buf(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * mqtt-packet refuses a password that is not `instanceof Buffer` (its other binary fields, the
 * will payload and binary properties, it measures and writes as any Uint8Array), so a password
 * becomes a Buffer view (no copy), in place: the object is the translation's own. Anything else
 * is left for mqtt-packet to judge.
 */
export function withBuffers(wire: object): object {
  const w = wire as { password?: unknown };
  if (w.password instanceof Uint8Array) w.password = buf(w.password);
  return wire;
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
  writeToStream(withBuffers(wire), collector, { protocolVersion: v });
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

/** One mqtt-packet parser made for one protocol version, and what it reported for a frame. */
interface VersionParser {
  readonly parser: MqttPacketParser;
  packet: WirePacket | undefined;
  error: unknown;
}

function versionParser(v: ProtocolVersion): VersionParser {
  const parser = Parser.parser({ protocolVersion: v });
  const state: VersionParser = { parser, packet: undefined, error: undefined };
  parser.on('packet', (p) => {
    state.packet = p as WirePacket;
  });
  parser.on('error', (e) => {
    state.error = e ?? new Error('mqtt-packet reported an error');
  });
  return state;
}

/**
 * One parser per protocol version for the whole process, made on first use. A frame is parsed
 * whole and synchronously (no user code runs inside), so frames of different decoders never
 * interleave, and a parser per connection would cost about 1.7 KB of heap for each idle client.
 * A parser is dropped after any frame that may have changed its state: an error, bytes left
 * over, or a CONNECT (mqtt-packet then reads later frames with the CONNECT's version).
 */
const parsers: (VersionParser | undefined)[] = [];

/** Parses exactly one whole frame with mqtt-packet's parser. */
export function parseWire(frame: Uint8Array, v: ProtocolVersion): WireResult {
  let state = parsers[v];
  if (state === undefined) {
    state = versionParser(v);
    parsers[v] = state;
  }
  state.packet = undefined;
  state.error = undefined;
  let left = 0;
  try {
    left = state.parser.parse(buf(frame));
  } catch (e) {
    state.error = e;
  }
  // Set by the listeners during parse(), which TypeScript cannot see.
  const packet = state.packet as WirePacket | undefined;
  let error = state.error as unknown;
  if (error === undefined && (packet === undefined || left !== 0)) {
    error = new Error(`mqtt-packet left ${left} bytes unparsed`);
  }
  if (error !== undefined || packet?.cmd === 'connect') parsers[v] = undefined;
  // Neither the parser nor its listeners keep the frame's packet.
  state.packet = undefined;
  state.error = undefined;
  return error !== undefined || packet === undefined ? { error } : { packet };
}
