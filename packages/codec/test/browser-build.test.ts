/**
 * The browser build (`browser` export condition, dist/browser/) is the same src/ and the same
 * mqtt-packet code over the shims in src/shims/. Built here in memory with the exact options of
 * `pnpm build`, it must keep Node-only modules out of its graph and behave byte for byte like
 * the Node build: same encodings, same decoded packets, same errors.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBrowser, cut, foreignInputs, stubOut } from '../scripts/build-browser.js';
import * as nodeClient from '../src/client.js';
import * as node from '../src/index.js';
import * as nodeWire from '../src/wire.js';
import { packetArb } from './arbitraries.js';

type Codec = typeof node;
let browser: Codec;
let browserClient: typeof nodeClient;
let browserWire: typeof nodeWire;
let inputs: string[] = [];
/** Output file name -> the inputs esbuild put into it. */
let outputs: Record<string, string[]> = {};
/** Output file name -> the sibling files it imports. */
let imports: Record<string, string[]> = {};
let wireSource = '';
let clientWireSource = '';
let dir = '';

beforeAll(async () => {
  const result = await buildBrowser({ write: false });
  inputs = Object.keys(result.metafile.inputs);
  outputs = Object.fromEntries(
    Object.entries(result.metafile.outputs).map(([file, o]) => [
      basename(file),
      Object.keys(o.inputs),
    ]),
  );
  imports = Object.fromEntries(
    Object.entries(result.metafile.outputs).map(([file, o]) => [
      basename(file),
      o.imports.map((i) => basename(i.path)),
    ]),
  );
  // Written out as they would be in dist/browser/, then imported like any ES module.
  dir = await mkdtemp(join(tmpdir(), 'mqttkit-codec-browser-'));
  await writeFile(join(dir, 'package.json'), '{ "type": "module" }');
  for (const file of result.outputFiles ?? []) {
    await writeFile(join(dir, basename(file.path)), file.contents);
    if (basename(file.path) === 'wire.js') wireSource = file.text;
    if (basename(file.path) === 'wire-client.js') clientWireSource = file.text;
  }
  browser = (await import(pathToFileURL(join(dir, 'index.js')).href)) as Codec;
  browserClient = (await import(pathToFileURL(join(dir, 'client.js')).href)) as typeof nodeClient;
  browserWire = (await import(pathToFileURL(join(dir, 'wire.js')).href)) as typeof nodeWire;
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
  it('has no Node built-in, polyfill or stream module in its graph', () => {
    expect(
      foreignInputs({ inputs: Object.fromEntries(inputs.map((i) => [i, {}])) } as never),
    ).toEqual([]);
    const joined = inputs.join('\n');
    for (const name of ['buffer', 'events', 'readable-stream', 'debug', 'process', 'util', 'bl']) {
      expect(joined).not.toMatch(new RegExp(`node_modules/${name}/`));
    }
    // mqtt-packet's parser and generator are really in it: the codec is still mqtt-packet.
    expect(inputs).toContain('mqtt-packet:parser.js');
    expect(inputs).toContain('mqtt-packet:writeToStream.js');
  });

  it('keeps one file per module, with mqtt-packet and the shims in the two wire files only', () => {
    expect(Object.keys(outputs).sort()).toContain('topic.js');
    for (const [file, from] of Object.entries(outputs)) {
      const own = from.filter((i) => i.startsWith('src/') && !i.startsWith('src/shims/'));
      // Each output is its own module; siblings stay imports, so nothing is duplicated, except
      // wire-client.js: the client entry's own copy of wire.ts.
      const expected = [`src/${file.replace(/\.js$/, '.ts')}`];
      if (file === 'wire-client.js') expected.unshift('src/wire.ts');
      expect(own, file).toEqual(expected);
      const thirdParty = from.filter((i) => !i.startsWith('src/') || i.startsWith('src/shims/'));
      if (file === 'wire.js' || file === 'wire-client.js') {
        expect(thirdParty.length).toBeGreaterThan(5);
      } else expect(thirdParty, file).toEqual([]);
    }
  });

  it('keeps the server direction out of the client entry: its graph and its mqtt-packet', () => {
    const reached = new Set<string>();
    const visit = (file: string): void => {
      if (reached.has(file)) return;
      reached.add(file);
      for (const next of imports[file] ?? []) visit(next);
    };
    visit('client.js');
    expect(reached).toContain('wire-client.js');
    for (const file of [
      'wire.js',
      'encode-server-to-client.js',
      'decode-client-to-server.js',
      'encode.js',
      'decode.js',
      'index.js',
    ]) {
      expect(reached, file).not.toContain(file);
    }
    // One message from each of mqtt-packet's connack, suback and unsuback generators and its
    // _parseConnect, _parseSubscribe and _parseUnsubscribe: in wire.js, not in wire-client.js.
    for (const text of [
      'Invalid return code',
      'Invalid qos vector',
      'Connect flag bit 0 must be 0',
      'Malformed subscribe, no payload specified',
      'Malformed unsubscribe, no payload specified',
    ]) {
      expect(wireSource).toContain(text);
      expect(clientWireSource).not.toContain(text);
    }
    expect(clientWireSource.split('is not in the @mqttkit/codec/client build').length - 1).toBe(6);
    // The rest of mqtt-packet is there, with the same edits as wire.js.
    expect(clientWireSource).toMatch(/var writeNumber = writeNumberGenerated;/);
    expect(clientWireSource).not.toMatch(/^\s*debug\(/m);
    expect(clientWireSource).toContain('Invalid subscriptions');
  });

  it("leaves out of the client copy the mqtt-packet code its encoder's input cannot reach", () => {
    // The number cache switch, cork, bridge mode, MQTT 3.1 and the Maximum Packet Size trim
    // (CLIENT_CUTS): in wire.js, not in wire-client.js.
    for (const text of [
      'cacheNumbers',
      'generateCache',
      'stream.cork',
      'bridgeMode',
      'clientId must be supplied before 3.1.1',
      'mayEmptyProps',
      'SubOk',
    ]) {
      expect(wireSource, text).toContain(text);
      expect(clientWireSource, text).not.toContain(text);
    }
    // Its property tables come from ours (src/shims/property-tables.ts): one copy of the names.
    expect(wireSource).toContain('sessionExpiryInterval: 17');
    expect(clientWireSource).not.toContain('sessionExpiryInterval: 17');
    expect(clientWireSource).toContain('require_mqttkit_property_tables().propertyIds');
    // Its own checks stay: mqtt-packet still has the last word on what it refuses.
    for (const text of ['Invalid protocol version', 'Invalid keepalive', 'Invalid password']) {
      expect(clientWireSource, text).toContain(text);
    }
  });

  it("starts mqtt-packet's generator without its 65,536-entry number cache, and without debug calls", () => {
    expect(wireSource).toMatch(/var writeNumber = writeNumberGenerated;/);
    expect(wireSource).toMatch(/var toGenerate = false;/);
    expect(wireSource).not.toMatch(/^\s*debug\(/m);
  });

  it("keeps mqtt-packet's reason-code tables as keys only and shortens its internal property names", () => {
    // The parser only tests `table[code]`; the names are not in the copy.
    for (const name of ['No matching subscribers', 'Continue authentication', 'Server moved']) {
      expect(wireSource).not.toContain(name);
    }
    // Private members and constants of mqtt-packet are mangled in wire.js only...
    for (const name of ['_emitError', '_parseString', 'VARBYTEINT_MAX', 'MQTT5_SUBACK_CODES']) {
      expect(wireSource).not.toContain(name);
    }
    // ...except the parser's state methods, which it calls by name from strings.
    for (const name of ['_parseHeader', '_parseLength', '_parsePayload', '_newPacket']) {
      expect(wireSource).toMatch(new RegExp(`\\b${name}\\(\\)`));
    }
  });

  it('fails the build when a function to stub has moved or cannot be delimited', () => {
    const source = 'a\nfunction connack (packet) {\n  if (x) {\n    y()\n  }\n}\nb\n';
    expect(stubOut('w.js', source, 'function connack (packet) {')).toBe(
      "a\nfunction connack (packet) {\n  throw new Error('connack is not in the @mqttkit/codec/client build')\n}\nb\n",
    );
    expect(() => stubOut('w.js', source, 'function suback (packet) {')).toThrow(/not found once/);
    expect(() => stubOut('w.js', `${source}${source}`, 'function connack (packet) {')).toThrow(
      /not found once/,
    );
    const unbalanced = 'a\nfunction connack (packet) {\n  if (x) {\n}\n  }\n}\n';
    expect(() => stubOut('w.js', unbalanced, 'function connack (packet) {')).toThrow(
      /could not find the end/,
    );
    // A cut: a function named by its first line, or text found exactly once.
    expect(cut('w.js', source, ['function connack (packet) {', ''])).toBe('a\nb\n');
    expect(cut('w.js', source, ['    y()\n', '    z()\n'])).toContain('    z()\n');
    expect(() => cut('w.js', source, ['  w()\n', ''])).toThrow(/not found once/);
    expect(() => cut('w.js', `${source}${source}`, ['    y()\n', ''])).toThrow(/not found once/);
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
    // And the parser's refusals of frames that check-frame would have stopped earlier.
    const frames = [
      Uint8Array.of(0x30, 0x01, 0x00),
      Uint8Array.of(0x20, 0x02, 0x00),
      Uint8Array.of(0x10, 0x03, 0x00, 0x04, 0x4d),
    ];
    const parse = (w: typeof nodeWire, f: Uint8Array, v: node.ProtocolVersion) => {
      const r = w.createWireParser()(f, v);
      return 'error' in r ? `error ${(r.error as Error).message}` : r.packet;
    };
    for (const f of frames) {
      for (const v of [4, 5] as node.ProtocolVersion[]) {
        expect(parse(browserWire, f, v)).toEqual(parse(nodeWire, f, v));
      }
    }
  });
});
