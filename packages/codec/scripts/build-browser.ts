// Builds dist/browser/, the `browser` export condition of @mqttkit/codec: one file per module of
// src/, like the Node build, except that wire.js carries mqtt-packet's own parser and generator
// with the Node-only modules they require (buffer, events, bl's stream half, debug,
// process-nextick-args) replaced by the small files in src/shims/. Only modules that reach
// wire.js (encode, decoder) pay for mqtt-packet, so `validateTopic` alone stays small.
// Node keeps the tsc output (dist/index.js) and the real Buffer.
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
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
};

const NAMESPACE = 'mqttkit-shim';

/** The modules of src/ (not the shims): each is an entry, and imports between them stay imports. */
const MODULES = readdirSync(join(packageDir, 'src')).filter(
  (f) => f.endsWith('.ts') && !f.endsWith('.d.ts'),
);
const srcDir = join(packageDir, 'src');

/** A line that is nothing but a `debug(...)` call statement. */
const DEBUG_CALL_LINE = /^[ \t]*debug\(.*\)[ \t]*$/gm;

/** The only files from node_modules allowed in the browser graph. */
const ALLOWED_DEPENDENCY = /(^|\/)node_modules\/mqtt-packet\/[^/]+\.js$/;

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

// Each shim is reached through a tiny CommonJS glue module, so that mqtt-packet's `require`
// gets the shape it expects (a namespace object, or a function for bl and debug).
const shimPlugin: Plugin = {
  name: 'mqttkit-codec-shims',
  setup(b) {
    // `./topic.js` from a module (or `../utf8.js` from a shim) stays an import of the sibling
    // output file instead of a second copy of that module.
    b.onResolve({ filter: /^\.\.?\// }, (args) => {
      const target = join(args.resolveDir, args.path);
      const name = basename(target).replace(/\.js$/, '.ts');
      if (dirname(target) !== srcDir || !MODULES.includes(name)) return undefined;
      return { path: `./${basename(target)}`, external: true };
    });
    const filter = new RegExp(`^(${Object.keys(SHIMS).join('|')})$`);
    b.onResolve({ filter }, (args) => ({ path: args.path, namespace: NAMESPACE }));
    // mqtt-packet logs through `debug` on every packet; the shim makes those calls no-ops, and
    // dropping the call statements (each one a whole line, arguments free of side effects)
    // also drops their format strings from the bundle. The rest of each file is untouched.
    b.onLoad({ filter: /[\\/]mqtt-packet[\\/][^\\/]+\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const contents = source.replace(DEBUG_CALL_LINE, (line) => {
        // Refuse anything but one balanced call alone on its line (a newer mqtt-packet could
        // put a second statement there); the build then fails instead of changing behaviour.
        const opened = line.split('(').length;
        if (line.includes(';') || opened !== line.split(')').length) {
          throw new Error(`${args.path}: unexpected debug line, review DEBUG_CALL_LINE: ${line}`);
        }
        return '';
      });
      return {
        contents: args.path.endsWith('writeToStream.js') ? noNumberCache(contents) : contents,
        loader: 'js',
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
};

/** esbuild options for the browser build; `write: false` keeps the output in memory (tests). */
export function browserBuildOptions({ write = true } = {}): BuildOptions & { metafile: true } {
  return {
    absWorkingDir: packageDir,
    entryPoints: MODULES.map((f) => join(srcDir, f)),
    outdir: join(packageDir, 'dist/browser'),
    bundle: true,
    write,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    metafile: true,
    logLevel: 'silent',
    plugins: [shimPlugin],
    banner: {
      js:
        "// @mqttkit/codec browser build (scripts/build-browser.ts). wire.js includes mqtt-packet's\n" +
        '// parser and generator (MIT, https://github.com/mqttjs/mqtt-packet) over src/shims.',
    },
  };
}

/** Inputs of the build that are not our own src/ nor mqtt-packet's files: must be empty. */
export function foreignInputs(metafile: Metafile): string[] {
  return Object.keys(metafile.inputs)
    .map((p) => p.split(sep).join('/'))
    .filter(
      (p) => !p.startsWith('src/') && !p.startsWith(`${NAMESPACE}:`) && !ALLOWED_DEPENDENCY.test(p),
    );
}

/** Builds; throws when anything outside src/ and mqtt-packet reached the graph. */
export async function buildBrowser(options?: {
  write?: boolean;
}): Promise<BuildResult<{ metafile: true }>> {
  const result = await build(browserBuildOptions(options));
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
