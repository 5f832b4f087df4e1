/**
 * The browser build (`browser` export condition, dist/browser/) is the same src/ and the same
 * mqtt-packet code, as published, over the shims in src/shims/. Built here in memory with the
 * exact options of `pnpm build`, it must keep Node-only modules out of its graph, carry
 * mqtt-packet's files unchanged, and behave byte for byte like the Node build: same encodings,
 * same decoded packets, same errors.
 */
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBrowser, foreignInputs, SHIMS, SUBSTITUTES } from '../scripts/build-browser.js';
import * as nodeClient from '../src/client.js';
import * as node from '../src/index.js';
import * as nodeWire from '../src/mqtt-packet/wire.js';
import { packetArb } from './arbitraries.js';

type Codec = typeof node;
let browser: Codec;
let browserClient: typeof nodeClient;
let browserWire: typeof nodeWire;
/** Input path -> bytes esbuild read for it. */
let inputs: Record<string, number> = {};
/** Output file (relative to dist/browser/) -> the inputs esbuild put into it. */
let outputs: Record<string, string[]> = {};
/** Output file -> what it imports. */
let imports: Record<string, { path: string; external?: boolean }[]> = {};
let wireSource = '';
let dir = '';

const packageDir = join(import.meta.dirname, '..');
const outdir = join(packageDir, 'dist/browser');
const mqttPacketDir = dirname(createRequire(import.meta.url).resolve('mqtt-packet/package.json'));

beforeAll(async () => {
  const result = await buildBrowser({ write: false });
  inputs = Object.fromEntries(
    Object.entries(result.metafile.inputs).map(([path, i]) => [path, i.bytes]),
  );
  const key = (file: string) => relative(outdir, join(packageDir, file)).split('\\').join('/');
  outputs = Object.fromEntries(
    Object.entries(result.metafile.outputs).map(([file, o]) => [key(file), Object.keys(o.inputs)]),
  );
  imports = Object.fromEntries(
    Object.entries(result.metafile.outputs).map(([file, o]) => [key(file), o.imports]),
  );
  // Written out as they would be in dist/browser/, then imported like any ES module.
  dir = await mkdtemp(join(tmpdir(), 'mqttkit-codec-browser-'));
  await writeFile(join(dir, 'package.json'), '{ "type": "module" }');
  for (const file of result.outputFiles ?? []) {
    const target = join(dir, relative(outdir, file.path));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, file.contents);
    if (relative(outdir, file.path).endsWith('wire.js')) wireSource = file.text;
  }
  browser = (await import(pathToFileURL(join(dir, 'index.js')).href)) as Codec;
  browserClient = (await import(pathToFileURL(join(dir, 'client.js')).href)) as typeof nodeClient;
  browserWire = (await import(
    pathToFileURL(join(dir, 'mqtt-packet/wire.js')).href
  )) as typeof nodeWire;
}, 30_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface Outcome {
  packets: node.Packet[];
  errors: { code: string; reasonCode: number | undefined; message: string }[];
}

function decodeWith(codec: Codec, chunks: Uint8Array[], v: node.ProtocolVersion): Outcome {
  const out: Outcome = { packets: [], errors: [] };
  const decoder = codec.createDecoder({
    protocolVersion: v,
    onPacket: (p) => out.packets.push(p),
    onError: (e) => out.errors.push({ code: e.code, reasonCode: e.reasonCode, message: e.message }),
  });
  for (const c of chunks) decoder.push(c);
  return out;
}

function encodeWith(codec: Codec, p: node.Packet, v: node.ProtocolVersion): number[] | string {
  try {
    return [...codec.encode(p, { protocolVersion: v })];
  } catch (e) {
    return `${(e as node.CodecError).code}: ${(e as Error).message}`;
  }
}

describe('browser build', () => {
  it('has no Node built-in, polyfill or stream module in its graph, nor in its imports', () => {
    expect(foreignInputs({ inputs } as never)).toEqual([]);
    const joined = Object.keys(inputs).join('\n');
    for (const name of ['buffer', 'events', 'readable-stream', 'debug', 'process', 'util', 'bl']) {
      expect(joined).not.toMatch(new RegExp(`node_modules/${name}/`));
    }
    // mqtt-packet's parser and generator are really in it: the codec is still mqtt-packet.
    expect(inputs['mqtt-packet:parser.js']).toBeGreaterThan(0);
    expect(inputs['mqtt-packet:writeToStream.js']).toBeGreaterThan(0);
    // What is left as an import is another output file, never a module a page lacks.
    for (const [file, list] of Object.entries(imports)) {
      for (const i of list) expect(i.path, file).toMatch(/^\.\.?\/.*\.js$/);
    }
  });

  it('carries every file of mqtt-packet it needs exactly as published (not one byte changed)', () => {
    const files = Object.keys(inputs).filter((i) => i.startsWith('mqtt-packet:'));
    expect(files.length).toBeGreaterThan(4);
    for (const input of files) {
      const published = readFileSync(join(mqttPacketDir, input.slice('mqtt-packet:'.length)));
      expect(inputs[input], input).toBe(published.length);
    }
    // Its debug lines and its number-cache code are there: nothing was cut.
    expect(wireSource).toMatch(/debug\("_parseHeader/);
    expect(wireSource).toContain('function writeNumberCached');
    expect(wireSource).toContain('No matching subscribers');
  });

  it('keeps one file per module in the folders of src/, with mqtt-packet and the shims in wire.js only', () => {
    expect(Object.keys(outputs)).toContain('model/topic.js');
    expect(Object.keys(outputs)).toContain('table/packet-table.js');
    const substituted = Object.keys(SUBSTITUTES);
    for (const [file, from] of Object.entries(outputs)) {
      const own = from.filter((i) => i.startsWith('src/') && !i.startsWith('src/shims/'));
      // Each output is its own module; siblings stay imports, so nothing is duplicated.
      expect(own, file).toEqual([`src/${file.replace(/\.js$/, '.ts')}`]);
      const thirdParty = from.filter((i) => !i.startsWith('src/') || i.startsWith('src/shims/'));
      if (file === 'mqtt-packet/wire.js') {
        expect(thirdParty.length).toBeGreaterThan(5);
        for (const shim of Object.values(SHIMS)) expect(thirdParty).toContain(shim.file);
        for (const s of Object.values(SUBSTITUTES)) expect(thirdParty).toContain(s);
      } else expect(thirdParty, file).toEqual([]);
      expect(substituted, file).not.toContain(`src/${file.replace(/\.js$/, '.ts')}`);
    }
  });

  it("turns mqtt-packet's number cache off through its public switch, in the browser only", () => {
    expect(wireSource).toMatch(/var CACHE_NUMBERS = false;/);
    expect(wireSource).toMatch(/cacheNumbers = false/);
  });

  it('flags a foreign input (the check is not vacuous)', () => {
    const meta = {
      inputs: {
        'src/index.ts': {},
        '../../node_modules/.pnpm/buffer@6.0.3/node_modules/buffer/index.js': {},
      },
    };
    expect(foreignInputs(meta as never)).toEqual([
      '../../node_modules/.pnpm/buffer@6.0.3/node_modules/buffer/index.js',
    ]);
  });

  it('encodes and decodes arbitrary packets exactly like the Node build', () => {
    for (const v of [4, 5] as node.ProtocolVersion[]) {
      fc.assert(
        fc.property(packetArb(v), fc.array(fc.nat(), { maxLength: 4 }), (packet, cuts) => {
          const bytes = node.encode(packet, { protocolVersion: v });
          expect(encodeWith(browser, packet, v)).toEqual([...bytes]);
          // Chunked the same way, through each build's own decoder.
          const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort(
            (a, b) => a - b,
          );
          const chunks: Uint8Array[] = [];
          let at = 0;
          for (const p of [...points, bytes.length]) {
            chunks.push(bytes.slice(at, p));
            at = p;
          }
          const fromBrowser = decodeWith(browser, chunks, v);
          expect(fromBrowser).toEqual(decodeWith(node, chunks, v));
          expect(fromBrowser.packets).toEqual([packet]);
        }),
        { numRuns: 700, seed: 0xb0 + v },
      );
    }
  });

  it('reports the same errors as the Node build for 20,000 mutated inputs', () => {
    let errors = 0;
    for (const v of [4, 5] as node.ProtocolVersion[]) {
      const corpus = fc
        .sample(packetArb(v), { numRuns: 200, seed: 0xf0 + v })
        .map((p) => node.encode(p, { protocolVersion: v }));
      fc.assert(
        fc.property(
          fc.nat(corpus.length - 1),
          fc.array(fc.tuple(fc.nat(), fc.nat(255)), { minLength: 1, maxLength: 3 }),
          fc.nat(),
          (i, flips, cut) => {
            const input = Uint8Array.from(corpus[i]!);
            for (const [at, value] of flips) input[at % input.length] = value;
            const truncated = input.subarray(0, input.length - (cut % 2 ? 0 : cut % input.length));
            const ours = decodeWith(browser, [truncated], v);
            expect(ours).toEqual(decodeWith(node, [truncated], v));
            errors += ours.errors.length;
          },
        ),
        { numRuns: 10_000, seed: 0xe0 + v },
      );
    }
    // Most mutations are caught, so the comparison covered the error paths.
    expect(errors).toBeGreaterThan(5_000);
  });

  it('runs the client entry exactly like its Node build', () => {
    const client = [browserClient, nodeClient];
    for (const v of [4, 5] as node.ProtocolVersion[]) {
      fc.assert(
        fc.property(packetArb(v), (packet) => {
          const [browserOut, nodeOut] = client.map((c) => encodeWith(c, packet, v));
          expect(browserOut).toEqual(nodeOut);
          // Every packet, either direction: what one entry refuses, the other refuses alike.
          const bytes = node.encode(packet, { protocolVersion: v });
          const [fromBrowser, fromNode] = client.map((c) => decodeWith(c, [bytes], v));
          expect(fromBrowser).toEqual(fromNode);
          expect(fromBrowser.packets.length + fromBrowser.errors.length).toBe(1);
        }),
        { numRuns: 500, seed: 0xc0 + v },
      );
    }
  });

  it('refuses invalid packets to encode with the same errors', () => {
    const bad: [node.Packet, node.ProtocolVersion][] = [
      [
        {
          cmd: 'publish',
          topic: 'a/+',
          payload: new Uint8Array(0),
          qos: 0,
          retain: false,
          dup: false,
        },
        4,
      ],
      [{ cmd: 'puback', packetId: 0 }, 5],
      [{ cmd: 'auth', reasonCode: 0 }, 4],
      [
        { cmd: 'connect', clientId: 'c', clean: true, keepalive: 0, password: new Uint8Array(1) },
        4,
      ],
    ];
    for (const [p, v] of bad) {
      const ours = encodeWith(browser, p, v);
      expect(typeof ours).toBe('string');
      expect(ours).toBe(encodeWith(node, p, v));
    }
  });

  it("passes mqtt-packet's own refusals up the same way (wire layer, below validation)", () => {
    // Shapes that encode()'s validation never lets through, so only mqtt-packet judges them:
    // its generator reports through the EventEmitter 'error' event, which must throw.
    const refused: [object, node.ProtocolVersion][] = [
      [{ cmd: 'publish', topic: 5, payload: new Uint8Array(0) }, 4],
      [{ cmd: 'puback' }, 5],
      [{ cmd: 'subscribe', messageId: 1, subscriptions: [] }, 4],
      [{ cmd: 'connect', protocolVersion: 7 }, 4],
      [{ cmd: 'nope' }, 4],
    ];
    const outcome = (w: typeof nodeWire, packet: object, v: node.ProtocolVersion): string => {
      try {
        return `bytes ${[...w.generateWire(packet, v)]}`;
      } catch (e) {
        return `threw ${(e as Error).message}`;
      }
    };
    for (const [packet, v] of refused) {
      const ours = outcome(browserWire, packet, v);
      expect(ours).toMatch(/^threw /);
      expect(ours).toBe(outcome(nodeWire, packet, v));
    }
    // And the parser's refusals of frames that the frame walk (validation/) would have stopped earlier.
    const frames = [
      Uint8Array.of(0x30, 0x01, 0x00),
      Uint8Array.of(0x20, 0x02, 0x00),
      Uint8Array.of(0x10, 0x03, 0x00, 0x04, 0x4d),
    ];
    const parse = (w: typeof nodeWire, f: Uint8Array, v: node.ProtocolVersion) => {
      const r = w.parseWire(f, v);
      return 'error' in r ? `error ${(r.error as Error).message}` : r.packet;
    };
    for (const f of frames) {
      for (const v of [4, 5] as node.ProtocolVersion[]) {
        expect(parse(browserWire, f, v)).toEqual(parse(nodeWire, f, v));
      }
    }
  });
});
