// Builds dist/browser/, the `browser` export condition of @mqttkit/codec: one file per module of
// src/, in the same folders as the Node build, except that mqtt-packet/wire.js carries
// mqtt-packet's own parser and generator, its files as published (not one character changed),
// with the Node-only modules they require (buffer, events, bl, debug, process-nextick-args)
// replaced by the small files in src/shims/. Module substitution is the only thing this build
// does to mqtt-packet; `SUBSTITUTES` lists every one. Only modules that reach wire.js pay for
// mqtt-packet, so `validateTopic` alone stays small. Node keeps the tsc output and the real
// modules.
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type BuildOptions, type BuildResult, build, type Metafile, type Plugin } from 'esbuild';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const srcDir = join(packageDir, 'src');

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

/**
 * Modules of our own that a page gets in another version: mqtt-packet's number cache is turned
 * off through its public `writeToStream.cacheNumbers` (see src/mqtt-packet/number-cache.ts).
 */
export const SUBSTITUTES: Record<string, string> = {
  'src/mqtt-packet/number-cache.ts': 'src/shims/number-cache.ts',
};

const NAMESPACE = 'mqttkit-shim';

/** The module that imports mqtt-packet; the shims are bundled into its output. */
const WIRE = join(srcDir, 'mqtt-packet', 'wire.ts');

/**
 * The modules of src/, in their folders (not the shims, nor a module a page gets another version
 * of): each is an entry of the build.
 */
function modules(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'shims' ? [] : modules(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}
const MODULES = modules(srcDir).filter(
  (path) => SUBSTITUTES[relative(packageDir, path).split(sep).join('/')] === undefined,
);

/**
 * mqtt-packet's files are loaded in a namespace of their own, as `mqtt-packet:parser.js`...:
 * esbuild keys each CommonJS module of the output by that name, which a page then carries (the
 * `node_modules/.pnpm/...` path would be four times as long). They are the only files from
 * node_modules in the browser graph, read from disk as they are.
 */
const MQTT_PACKET = 'mqtt-packet';
const mqttPacketDir = dirname(
  createRequire(join(packageDir, 'package.json')).resolve('mqtt-packet/package.json'),
);

/** `path` as an import specifier relative to `fromDir`. */
function specifier(fromDir: string, path: string): string {
  const rel = relative(fromDir, path).split(sep).join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

// Each shim is reached through a tiny CommonJS glue module, so that mqtt-packet's `require`
// gets the shape it expects (a namespace object, or a function for bl and debug).
const shimPlugin: Plugin = {
  name: 'mqttkit-codec-shims',
  setup(b) {
    // An import of another module of src/ stays an import of that module's output file instead
    // of a second copy of it (a shim's import, bundled into wire.js, is made relative to it).
    b.onResolve({ filter: /^\.\.?\// }, (args) => {
      if (args.namespace !== 'file') return undefined;
      let target = join(args.resolveDir, args.path).replace(/\.js$/, '.ts');
      const substitute = SUBSTITUTES[relative(packageDir, target).split(sep).join('/')];
      if (substitute !== undefined) target = join(packageDir, substitute);
      if (!MODULES.includes(target)) return substitute ? { path: target } : undefined;
      const fromShim = args.importer.startsWith(join(srcDir, 'shims') + sep);
      const from = fromShim ? dirname(WIRE) : args.resolveDir;
      return { path: specifier(from, target).replace(/\.ts$/, '.js'), external: true };
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
    // The file's text exactly as published: no edit of any kind.
    b.onLoad({ filter: /.*/, namespace: MQTT_PACKET }, async (args) => ({
      contents: await readFile(join(mqttPacketDir, args.path), 'utf8'),
      loader: 'js',
      resolveDir: mqttPacketDir,
    }));
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

const BANNER =
  '// @mqttkit/codec browser build (scripts/build-browser.ts). mqtt-packet/wire.js includes\n' +
  "// mqtt-packet's parser and generator (MIT, https://github.com/mqttjs/mqtt-packet) over src/shims.";

/** esbuild options for the browser build; `write: false` keeps the output in memory (tests). */
export function browserBuildOptions({ write = true } = {}): BuildOptions & { metafile: true } {
  return {
    absWorkingDir: packageDir,
    entryPoints: MODULES,
    outbase: srcDir,
    outdir: join(packageDir, 'dist/browser'),
    bundle: true,
    write,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    metafile: true,
    logLevel: 'silent',
    plugins: [shimPlugin],
    banner: { js: BANNER },
  };
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
