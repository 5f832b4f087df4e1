// Builds dist/browser/, the `browser` export condition of @mqttkit/codec: one file per module of
// src/, like the Node build, except that wire.js carries mqtt-packet's own parser and generator
// with the Node-only modules they require (buffer, events, bl's stream half, debug,
// process-nextick-args) replaced by the small files in src/shims/. Only modules that reach
// wire.js (encode, decoder) pay for mqtt-packet, so `validateTopic` alone stays small. Bytes
// matter in a page, so the copy also drops debug lines, the number cache and reason-code names,
// and shortens mqtt-packet's internal property names (each edit checked at build time).
// wire-client.js, for the `@mqttkit/codec/client` entry, is a second copy of wire.ts whose
// mqtt-packet also lacks the server's halves (`CLIENT_STUBS`).
// Node keeps the tsc output (dist/index.js) and the real Buffer.
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type BuildOptions, type BuildResult, build, type Metafile, type Plugin } from 'esbuild';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Bare specifiers required by mqtt-packet (or imported by wire.ts), the shim file that replaces
 * each, and the export that stands for the whole CommonJS module when mqtt-packet calls the
 * module itself (`require('bl')()`, `require('debug')(name)`).
 */
export const SHIMS: Record<string, { file: string; callable?: string }> = {
  buffer: { file: 'src/shims/buffer.ts' },
  events: { file: 'src/shims/events.ts' },
  bl: { file: 'src/shims/bl.ts', callable: 'bl' },
  debug: { file: 'src/shims/debug.ts', callable: 'createDebug' },
  'process-nextick-args': { file: 'src/shims/next-tick.ts' },
  // Not required by mqtt-packet itself: the client copy's constants.js does (CLIENT_CUTS).
  'mqttkit-property-tables': { file: 'src/shims/property-tables.ts' },
};

const NAMESPACE = 'mqttkit-shim';

/**
 * Fast paths the browser copy leaves out, each replaced by a stub whose one export always answers
 * undefined ("not handled here"), so its caller takes the general mqtt-packet path: the same bytes
 * and packets, a little slower, and about 0.5 KB less gzip in a page. Node keeps them.
 */
const FAST_PATH_STUBS: Record<string, string> = {
  'publish-bytes.ts': 'publishBytes',
  'fast-decode.ts': 'fastDecode',
};

/** The modules of src/ (not the shims): each is an entry, and imports between them stay imports. */
const MODULES = readdirSync(join(packageDir, 'src')).filter(
  (f) => f.endsWith('.ts') && !f.endsWith('.d.ts'),
);
const srcDir = join(packageDir, 'src');
const WIRE = 'wire.ts';
const CLIENT_WIRE = 'wire-client.ts';

/** A line that is nothing but a `debug(...)` call statement. */
const DEBUG_CALL_LINE = /^[ \t]*debug\(.*\)[ \t]*$/gm;

/**
 * mqtt-packet's files are loaded in a namespace of their own, as `mqtt-packet:parser.js`...:
 * esbuild keys each CommonJS module of the output by that name, which a page then carries (the
 * `node_modules/.pnpm/...` path would be four times as long). They are the only files from
 * node_modules in the browser graph.
 */
const MQTT_PACKET = 'mqtt-packet';
const mqttPacketDir = dirname(
  createRequire(join(packageDir, 'package.json')).resolve('mqtt-packet/package.json'),
);

/**
 * mqtt-packet's generator fills a cache of 65,536 two-byte buffers on the first packet (about
 * 14 MB of heap and 20 ms with the Uint8Array shim). In a page that is a poor trade, so the
 * browser copy starts with `cacheNumbers = false` (each 16-bit number gets a fresh 2-byte array,
 * a few per packet). Node keeps mqtt-packet's default. Fails the build if the source moved.
 */
function noNumberCache(source: string): string {
  const edits: [string, string][] = [
    ['let writeNumber = writeNumberCached', 'let writeNumber = writeNumberGenerated'],
    ['let toGenerate = true', 'let toGenerate = false'],
  ];
  let out = source;
  for (const [from, to] of edits) {
    if (out.split(from).length !== 2) throw new Error(`writeToStream.js: '${from}' not found once`);
    out = out.replace(from, to);
  }
  return out;
}

/**
 * mqtt-packet functions that a client never reaches, replaced in the client entry's copy
 * (wire-client.js) by stubs that throw: its encoder refuses CONNACK, SUBACK and UNSUBACK and its
 * decoder refuses CONNECT, SUBSCRIBE and UNSUBSCRIBE before mqtt-packet sees them. Each is named
 * by its first line, exactly; it ends at the first line that closes it at the same indent.
 */
export const CLIENT_STUBS: Record<string, readonly string[]> = {
  'writeToStream.js': [
    'function connack (packet, stream, opts) {',
    'function suback (packet, stream, opts) {',
    'function unsuback (packet, stream, opts) {',
  ],
  'parser.js': ['  _parseConnect () {', '  _parseSubscribe () {', '  _parseUnsubscribe () {'],
};

/** Where the function that starts at line `header` begins and ends in `source`. */
function functionSpan(file: string, source: string, header: string): [number, number] {
  const opening = `\n${header}\n`;
  const start = source.indexOf(opening);
  if (start < 0 || source.indexOf(opening, start + 1) >= 0) {
    throw new Error(
      `${file}: '${header.trim()}' not found once; review CLIENT_STUBS and CLIENT_CUTS`,
    );
  }
  const indent = /^ */.exec(header)?.[0] ?? '';
  const closing = `\n${indent}}\n`;
  const end = source.indexOf(closing, start + opening.length);
  const whole = end < 0 ? '' : source.slice(start, end + closing.length);
  // Fails the build unless the braces in between balance (the end really is its end).
  if (end < 0 || whole.split('{').length !== whole.split('}').length) {
    throw new Error(
      `${file}: could not find the end of '${header.trim()}'; review CLIENT_STUBS and CLIENT_CUTS`,
    );
  }
  return [start, end + closing.length];
}

/** `source` with the function that starts at line `header` replaced by a stub. */
export function stubOut(file: string, source: string, header: string): string {
  const [start, end] = functionSpan(file, source, header);
  const indent = /^ */.exec(header)?.[0] ?? '';
  const name = /(\w+) \(/.exec(header)?.[1];
  const stub = `${indent}  throw new Error('${name} is not in the @mqttkit/codec/client build')`;
  return `${source.slice(0, start)}\n${header}\n${stub}\n${indent}}\n${source.slice(end)}`;
}

/**
 * Code of mqtt-packet that the client entry's copy cannot run, because of what its own encoder
 * and wire.ts always pass: `protocolVersion` 4 or 5 (`encode` refuses any other), never
 * `bridgeMode`, `opts` without `properties` (so no Maximum Packet Size to trim to), a chunk
 * collector without `cork`, and no packets of the server's direction (`CLIENT_STUBS`). Each
 * edit is [text, replacement], the text found exactly once (after the debug lines are dropped);
 * a function is named by its first line, as in CLIENT_STUBS. None touches an error check that
 * input could reach: mqtt-packet keeps the last word on what it refuses.
 */
export const CLIENT_CUTS: Record<string, readonly (readonly [string | RegExp, string])[]> = {
  'writeToStream.js': [
    // Only the generated 2-byte numbers of `noNumberCache` remain, with no switch back.
    ['const numCache = numbers.cache\n', ''],
    ['const generateCache = numbers.generateCache\n', ''],
    ['let toGenerate = false\n', ''],
    ['  if (toGenerate) {\n    toGenerate = false\n    generateCache()\n  }\n', ''],
    ['function writeNumberCached (stream, number) {', ''],
    [
      "Object.defineProperty(generate, 'cacheNumbers', {\n  get () {\n    return writeNumber === writeNumberCached\n  },\n  set (value) {\n    if (value) {\n      if (!numCache || Object.keys(numCache).length === 0) toGenerate = true\n      writeNumber = writeNumberCached\n    } else {\n      toGenerate = false\n      writeNumber = writeNumberGenerated\n    }\n  }\n})\n",
      '',
    ],
    // The collector has no `cork`.
    ["const nextTick = require('process-nextick-args').nextTick\n", ''],
    ['  if (stream.cork) {\n    stream.cork()\n    nextTick(uncork, stream)\n  }\n', ''],
    ['function uncork (stream) {', ''],
    // MQTT 3.1 and bridge mode.
    [
      "    if (protocolVersion < 4) {\n      stream.destroy(new Error('clientId must be supplied before 3.1.1'))\n      return false\n    }\n",
      '',
    ],
    [
      '  if (settings.bridgeMode) {\n    protocolVersion += 128\n  }\n\n  stream.write(\n    protocolVersion === 131\n      ? protocol.VERSION131\n      : protocolVersion === 132\n        ? protocol.VERSION132\n        : protocolVersion === 4\n          ? protocol.VERSION4\n          : protocolVersion === 5\n            ? protocol.VERSION5\n            : protocol.VERSION3\n  )\n',
      '  stream.write(protocolVersion === 4 ? protocol.VERSION4 : protocol.VERSION5)\n',
    ],
    [
      'function getPropertiesByMaximumPacketSize (stream, properties, opts, length) {',
      'function getPropertiesByMaximumPacketSize (stream, properties) {\n  return getProperties(stream, properties)\n}\n',
    ],
  ],
  'numbers.js': [
    // The number cache is gone (above); with the Buffer shim, subarray always keeps the class.
    ['const max = 65536\nconst cache = {}\n', ''],
    ['function generateCache () {', ''],
    ['  cache,\n  generateCache,\n', ''],
    ['const SubOk = Buffer.isBuffer(Buffer.from([1, 2]).subarray(0, 1))\n', ''],
    [
      '  return SubOk ? buffer.subarray(0, pos) : buffer.slice(0, pos)\n',
      '  return buffer.subarray(0, pos)\n',
    ],
  ],
  'constants.js': [
    // The property tables, from our own (src/shims/property-tables.ts).
    [
      /^protocol\.properties = \{\n[^}]*\n\}\n/m,
      "protocol.properties = require('mqttkit-property-tables').propertyIds\n",
    ],
    [
      /^protocol\.propertiesTypes = \{\n[^}]*\n\}\n/m,
      "protocol.propertiesTypes = require('mqttkit-property-tables').propertyTypes\n",
    ],
    ['protocol.VERSION3 = Buffer.from([3])\n', ''],
    ['protocol.VERSION131 = Buffer.from([131])\n', ''],
    ['protocol.VERSION132 = Buffer.from([132])\n', ''],
    // Used by the stubbed connack, suback and unsuback generators only.
    ['protocol.SESSIONPRESENT_HEADER = Buffer.from([protocol.SESSIONPRESENT_MASK])\n', ''],
    ['protocol.CONNACK_HEADER = Buffer.from([protocol.codes.connack << protocol.CMD_SHIFT])\n', ''],
    ['protocol.SUBACK_HEADER = Buffer.from([protocol.codes.suback << protocol.CMD_SHIFT])\n', ''],
    ["  unsuback: genHeader('unsuback'),\n", ''],
    // PINGRESP is refused before; DISCONNECT has its own generator; QOS is read nowhere.
    ['  pingresp: Buffer.from([protocol.codes.pingresp << 4, 0]),\n', ''],
    [
      '  pingreq: Buffer.from([protocol.codes.pingreq << 4, 0]),\n  disconnect: Buffer.from([protocol.codes.disconnect << 4, 0])\n',
      '  pingreq: Buffer.from([protocol.codes.pingreq << 4, 0])\n',
    ],
    ['protocol.QOS = [0, 1, 2].map(qos => {\n  return Buffer.from([qos])\n})\n', ''],
  ],
};

/**
 * `source` with one CLIENT_CUTS edit made; throws unless its text (or pattern) is there exactly
 * once. A text that is the first line of a function stands for the whole function.
 */
export function cut(
  file: string,
  source: string,
  [text, replacement]: readonly [string | RegExp, string],
): string {
  if (typeof text === 'string' && /^ *function \w+ \(.*\) \{$/.test(text)) {
    const [start, end] = functionSpan(file, source, text);
    return `${source.slice(0, start)}\n${replacement}${source.slice(end)}`;
  }
  const found =
    typeof text === 'string'
      ? source.split(text).length - 1
      : (source.match(new RegExp(text.source, `${text.flags}g`)) ?? []).length;
  if (found !== 1) {
    const what = typeof text === 'string' ? text.split('\n')[0] : String(text);
    throw new Error(`${file}: '${what}' not found once; review CLIENT_CUTS`);
  }
  return source.replace(text, () => replacement);
}

function clientStubs(path: string, source: string): string {
  const file = basename(path);
  const stubbed = (CLIENT_STUBS[file] ?? []).reduce((out, h) => stubOut(file, out, h), source);
  return (CLIENT_CUTS[file] ?? []).reduce((out, edit) => cut(file, out, edit), stubbed);
}

// Each shim is reached through a tiny CommonJS glue module, so that mqtt-packet's `require`
// gets the shape it expects (a namespace object, or a function for bl and debug). `clientCopy`:
// the plugin of the wire-client.js build, which bundles wire.ts again and stubs `CLIENT_STUBS`.
const shimPlugin = (clientCopy: boolean): Plugin => ({
  name: 'mqttkit-codec-shims',
  setup(b) {
    // `./topic.js` from a module (or `../utf8.js` from a shim) stays an import of the sibling
    // output file instead of a second copy of that module.
    b.onResolve({ filter: /^\.\.?\// }, (args) => {
      const target = join(args.resolveDir, args.path);
      const name = basename(target).replace(/\.js$/, '.ts');
      if (dirname(target) !== srcDir || !MODULES.includes(name)) return undefined;
      if (clientCopy && name === WIRE) return undefined;
      return { path: `./${basename(target)}`, external: true };
    });
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      const name = basename(args.path);
      const stubbed = FAST_PATH_STUBS[name];
      if (dirname(args.path) !== srcDir || stubbed === undefined) return undefined;
      // Fails the build if the module no longer has exactly that one export.
      const exports = (await readFile(args.path, 'utf8')).match(/^export .*$/gm) ?? [];
      if (exports.length !== 1 || !exports[0]?.startsWith(`export function ${stubbed}(`)) {
        throw new Error(
          `${name}: expected one export, function ${stubbed}; review FAST_PATH_STUBS`,
        );
      }
      return { contents: `export function ${stubbed}() { return undefined; }`, loader: 'js' };
    });
    const filter = new RegExp(`^(${Object.keys(SHIMS).join('|')})$`);
    b.onResolve({ filter }, (args) => ({ path: args.path, namespace: NAMESPACE }));
    // `mqtt-packet/parser.js` from wire.ts, `./constants` from inside mqtt-packet: top-level
    // files of the package only.
    b.onResolve({ filter: /^mqtt-packet\/\w+\.js$/ }, (args) => ({
      path: args.path.slice(MQTT_PACKET.length + 1),
      namespace: MQTT_PACKET,
    }));
    b.onResolve({ filter: /^\.\/\w+$/, namespace: MQTT_PACKET }, (args) => ({
      path: `${args.path.slice(2)}.js`,
      namespace: MQTT_PACKET,
    }));
    // mqtt-packet logs through `debug` on every packet; the shim makes those calls no-ops, and
    // dropping the call statements (each one a whole line, arguments free of side effects)
    // also drops their format strings from the bundle. The rest of each file is untouched.
    b.onLoad({ filter: /.*/, namespace: MQTT_PACKET }, async (args) => {
      const source = await readFile(join(mqttPacketDir, args.path), 'utf8');
      const contents = source.replace(DEBUG_CALL_LINE, (line) => {
        // Refuse anything but one balanced call alone on its line (a newer mqtt-packet could
        // put a second statement there); the build then fails instead of changing behaviour.
        const opened = line.split('(').length;
        if (line.includes(';') || opened !== line.split(')').length) {
          throw new Error(`${args.path}: unexpected debug line, review DEBUG_CALL_LINE: ${line}`);
        }
        return '';
      });
      if (!args.path.endsWith('constants.js')) checkCodeTableUses(args.path, contents);
      const edit = args.path.endsWith('writeToStream.js')
        ? noNumberCache
        : args.path.endsWith('constants.js')
          ? truthyCodeTables
          : (source: string) => source;
      const edited = edit(contents);
      return {
        contents: clientCopy ? clientStubs(args.path, edited) : edited,
        loader: 'js',
        resolveDir: mqttPacketDir,
      };
    });
    b.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => {
      const shim = SHIMS[args.path] as { file: string; callable?: string };
      const target = JSON.stringify(join(packageDir, shim.file));
      const pick = shim.callable ? `.${shim.callable}` : '';
      return {
        contents: `module.exports = require(${target})${pick};`,
        loader: 'js',
        resolveDir: packageDir,
      };
    });
  },
});

/**
 * mqtt-packet's reason-code tables map each allowed code to its name, but its parser only tests
 * whether a code is in the table (`if (!constants.MQTT5_SUBACK_CODES[code])`), so the browser
 * copy keeps the keys with the value 1: the names are already in our own reason-codes module.
 * Fails the build if the tables moved (here) or are used another way (`checkCodeTableUses`).
 */
function truthyCodeTables(source: string): string {
  const table = /(protocol\.MQTT5_[A-Z_]+_CODES = \{)([^}]*)\}/g;
  let count = 0;
  const out = source.replace(table, (_whole, head: string, body: string) => {
    count++;
    return `${head}${body.replace(/:\s*'[^']*'/g, ': 1')}}`;
  });
  if (count !== 6 || /: '/.test(out.slice(out.indexOf('protocol.MQTT5_')))) {
    throw new Error(`constants.js: expected 6 MQTT5_*_CODES tables of names, found ${count}`);
  }
  return out;
}

/** Throws unless every use of a MQTT5_*_CODES table in `source` is a `!table[code]` test. */
function checkCodeTableUses(path: string, source: string): void {
  const uses = source.match(/.{0,12}MQTT5_[A-Z_]+_CODES.?/g) ?? [];
  const odd = uses.filter((u) => !/!constants\.MQTT5_[A-Z_]+_CODES\[$/.test(u));
  if (odd.length > 0) throw new Error(`${path}: reason-code table used by name: ${odd.join(', ')}`);
}

/** Names of constants.js properties (`protocol.CMD_SHIFT`...), read from the file itself. */
async function constantNames(): Promise<string[]> {
  const source = await readFile(join(mqttPacketDir, 'constants.js'), 'utf8');
  return [...new Set([...source.matchAll(/^protocol\.([A-Z][A-Z0-9_]+) =/gm)].map((m) => m[1]))];
}

/**
 * Property names that only mqtt-packet's own code uses inside wire.js, so a minifier may shorten
 * them there (a bundler cannot, since they are properties): the parser's and the accumulator's
 * `_private` members, the upper-case constants of constants.js and its internal lookup tables.
 * The parser calls its four state methods by name from strings, so those keep their names.
 */
async function wireManglePattern(): Promise<{ mangle: RegExp; reserve: RegExp }> {
  const tables = [
    'requiredHeaderFlags',
    'requiredHeaderFlagsErrors',
    'propertiesCodes',
    'propertiesTypes',
  ];
  const names = [...(await constantNames()), ...tables];
  if (names.length < 40) throw new Error(`constants.js: only ${names.length} constants found`);
  return {
    mangle: new RegExp(`^(_[a-zA-Z]+|${names.join('|')})$`),
    reserve: /^_(parseHeader|parseLength|parsePayload|newPacket)$/,
  };
}

const BANNER =
  '// @mqttkit/codec browser build (scripts/build-browser.ts). wire.js and wire-client.js include\n' +
  "// mqtt-packet's parser and generator (MIT, https://github.com/mqttjs/mqtt-packet) over src/shims.";

/**
 * esbuild options for the browser build; `write: false` keeps the output in memory (tests).
 * Three builds: every module but the two wire modules, then wire.ts and wire-client.ts alone,
 * whose mqtt-packet-internal property names are mangled (see `wireManglePattern`); mangling
 * stays out of our own modules, whose objects are public API.
 */
export async function browserBuildOptions({
  write = true,
} = {}): Promise<(BuildOptions & { metafile: true })[]> {
  const common = {
    absWorkingDir: packageDir,
    outdir: join(packageDir, 'dist/browser'),
    bundle: true,
    write,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    metafile: true,
    logLevel: 'silent',
    plugins: [shimPlugin(false)],
    banner: { js: BANNER },
  } satisfies BuildOptions;
  const { mangle, reserve } = await wireManglePattern();
  const wire = { ...common, mangleProps: mangle, reserveProps: reserve };
  return [
    {
      ...common,
      entryPoints: MODULES.filter((f) => f !== WIRE && f !== CLIENT_WIRE).map((f) =>
        join(srcDir, f),
      ),
    },
    { ...wire, entryPoints: [join(srcDir, WIRE)] },
    { ...wire, entryPoints: [join(srcDir, CLIENT_WIRE)], plugins: [shimPlugin(true)] },
  ];
}

/** Inputs of the build that are not our own src/ nor mqtt-packet's files: must be empty. */
export function foreignInputs(metafile: Metafile): string[] {
  return Object.keys(metafile.inputs)
    .map((p) => p.split(sep).join('/'))
    .filter(
      (p) =>
        !p.startsWith('src/') && !p.startsWith(`${NAMESPACE}:`) && !/^mqtt-packet:\w+\.js$/.test(p),
    );
}

/** Builds; throws when anything outside src/ and mqtt-packet reached the graph. */
export async function buildBrowser(options?: {
  write?: boolean;
}): Promise<BuildResult<{ metafile: true }>> {
  const results = await Promise.all((await browserBuildOptions(options)).map((o) => build(o)));
  const result: BuildResult<{ metafile: true }> = {
    ...(results[0] as BuildResult<{ metafile: true }>),
    outputFiles: results.flatMap((r) => r.outputFiles ?? []),
    metafile: {
      inputs: Object.assign({}, ...results.map((r) => r.metafile.inputs)),
      outputs: Object.assign({}, ...results.map((r) => r.metafile.outputs)),
    },
  };
  const foreign = foreignInputs(result.metafile);
  if (foreign.length > 0) {
    throw new Error(`browser build pulled in modules it must not: ${foreign.join(', ')}`);
  }
  return result;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await buildBrowser();
  const outputs = Object.entries(result.metafile.outputs);
  const total = outputs.reduce((n, [, o]) => n + o.bytes, 0);
  console.log(`dist/browser/: ${outputs.length} files, ${total} bytes`);
}
