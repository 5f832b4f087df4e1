/// <reference path="./mqtt-packet.d.ts" />
/**
 * The only module that imports mqtt-packet: its generator and its parser, over our byte list.
 * The browser build (scripts/build-browser.ts) bundles mqtt-packet into this module's output;
 * `wire-client.ts` is the same module for the client entry, with a smaller copy.
 */
// biome-ignore lint/style/useNodejsImportProtocol: plain 'buffer', which the browser build (scripts/build-browser.ts) replaces with src/shims/buffer.ts.
import { Buffer } from 'buffer';
import Parser from 'mqtt-packet/parser.js';
import writeToStream from 'mqtt-packet/writeToStream.js';
import type { ProtocolVersion } from './packets.js';
import { BufferList } from './shims/bl.js';
import type { WirePacket, WireParser } from './wire-model.js';

export type { WireParser, WireResult } from './wire-model.js';

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

/**
 * One mqtt-packet parser, fed exactly one whole frame at a time. The frame goes in through our
 * own list (`shims/bl.ts`): its reads index the frame and its slices are views, where bl makes a
 * Buffer slice for every integer it reads. (In the browser build it is the parser's list anyway.)
 */
export function createWireParser(): WireParser {
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
