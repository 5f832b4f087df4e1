/**
 * Browser bundle size of @mqttkit/client and its layers, measured as an app would see them: each
 * entry is bundled by esbuild from the packages' BUILT dist/ through their exports maps (browser
 * condition), minified, then gzipped at level 9. MQTT.js's browser entry (dist/mqtt.esm.js) is
 * measured the same way in the same run. Bytes are deterministic, so CI enforces a budget on the
 * client's figure.
 */
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Metafile, type Plugin } from 'esbuild';

const benchDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const repoDir = join(benchDir, '..');

/** Issue 10's goal for the whole client's browser bundle, gzipped. Not met yet (bench/README.md). */
export const GOAL_GZIP_BYTES = 30_000;

/**
 * What CI enforces until the goal is met: the last measured size plus about 1 %. It was raised
 * by issue 16 and the first part of issue 17: the codec stopped editing mqtt-packet's source
 * text, the client was split into one module per concern, and it learnt version negotiation,
 * option checks, URL credentials and close logs with the cause (44,325 B; see `PREVIOUS_BUILD`
 * and bench/README.md); then by issue 22's protocol points: re-authentication, resubscribe
 * outcomes, reported anomalies and MQTT 3.1 (45,696 B, +1,371 B); then by issues 18, 19 and
 * 22's flow control together: inbound flow control and `queue.overflow: 'wait'` (about
 * +1,170 B), the `proxy`/`socketPath` options (+101 B) and the `instrument()` hook (47,625 B on
 * the merged build). Otherwise it only ratchets down: lower it with every cut.
 */
export const BUDGET_GZIP_BYTES = 48_100;

/**
 * The figures of the last build that edited mqtt-packet's source text for browsers (stubbed
 * functions, cut code, renamed properties, deleted `debug(...)` lines; 2026-11-24, before issue
 * 16), recorded when they were measured: that build no longer exists to be measured again.
 */
export const PREVIOUS_BUILD = {
  /** `@mqttkit/client (browser)`, gzip -9. */
  clientGzipBytes: 34_945,
  /** mqtt-packet's share of it (then its edited copy for the client entry). */
  mqttPacketGzipBytes: 7_400,
} as const;

/** Packages that are Node built-ins or their npm polyfills; none may reach a browser bundle. */
export const FORBIDDEN_PACKAGES: ReadonlySet<string> = new Set([
  ...builtinModules.filter((m) => !m.startsWith('_')).map((m) => m.split('/')[0] as string),
  'readable-stream',
  'debug',
  'ms',
  'bl',
  'safe-buffer',
  'process-nextick-args',
  'inherits',
  'util-deprecate',
  'core-util-is',
  'string_decoder',
  'base64-js',
  'ieee754',
  'stream-browserify',
  'browserify-zlib',
  'abort-controller',
  'ws',
]);

export interface SizeEntry {
  name: string;
  /** Bare specifiers the entry imports whole (`import * as`), as an app using all of it. */
  imports: string[];
  /** The entry module's source instead, e.g. one named import to see what tree shaking keeps. */
  source?: string;
  /** Where bare specifiers are resolved from; the bench package by default. */
  resolveDir?: string;
  /**
   * Built files replaced by other module text, by the end of their path: a measurement of what
   * a part costs (the bundle without it), never an app's bundle.
   */
  replace?: Readonly<Record<string, string>>;
}

const LAYERS = ['@mqttkit/codec', '@mqttkit/transport', '@mqttkit/keepalive', '@mqttkit/state'];

/** The budgeted figure: everything an app gets from `@mqttkit/client` in a browser. */
export const CLIENT = '@mqttkit/client (browser)';

export const MQTTKIT_ENTRIES: SizeEntry[] = [
  { name: CLIENT, imports: ['@mqttkit/client'] },
  { name: '@mqttkit/codec', imports: ['@mqttkit/codec'] },
  { name: '@mqttkit/keepalive', imports: ['@mqttkit/keepalive'] },
  { name: '@mqttkit/state', imports: ['@mqttkit/state'] },
  { name: '@mqttkit/transport (browser)', imports: ['@mqttkit/transport'] },
  { name: 'codec + transport + keepalive + state', imports: LAYERS },
  {
    name: '@mqttkit/codec, validateTopic only',
    imports: ['@mqttkit/codec'],
    source: "export { validateTopic } from '@mqttkit/codec';",
  },
];

export const COMBINED = 'codec + transport + keepalive + state';

/**
 * mqtt-packet as the codec's browser build carries it (its parser, generator and constants as
 * published, with the shims and the wrapper around them): one built file of the codec.
 */
const MQTT_PACKET_FILE = 'packages/codec/dist/browser/mqtt-packet/wire.js';

/**
 * The client bundle with mqtt-packet's file replaced by functions that throw: what everything
 * but mqtt-packet costs. Issue 10 keeps mqtt-packet as the codec, so the goal has to fit its share.
 */
export const WITHOUT_MQTT_PACKET: SizeEntry = {
  name: 'client without mqtt-packet (not an app)',
  imports: ['@mqttkit/client'],
  replace: {
    [MQTT_PACKET_FILE]:
      "const gone = () => { throw new Error('not in this measurement'); };\n" +
      'export { gone as parseWire, gone as generateWire, gone as generatePublishHeaderWire, gone as withBuffers };',
  },
};

/** MQTT.js through its own exports map: the browser+import condition is dist/mqtt.esm.js. */
export const MQTTJS_ENTRY: SizeEntry = { name: 'MQTT.js (dist/mqtt.esm.js)', imports: ['mqtt'] };

export interface Measured {
  name: string;
  minified: number;
  gzipped: number;
  /** Files esbuild read for the bundle, relative to the repository. */
  inputs: string[];
  /** Those of `inputs` that still have bytes in the output after tree shaking. */
  kept: string[];
  /** Inputs from forbidden packages (Node built-ins and polyfills). */
  forbidden: string[];
}

/** The npm package an input path belongs to (the last node_modules segment), if any. */
export function packageOf(input: string): string | undefined {
  // esbuild names disabled or non-file modules with a namespace prefix: `(disabled):ws`.
  const namespaced = /^(?:\(disabled\)|[a-z-]+):(.+)$/.exec(input);
  const path = (namespaced?.[1] ?? input).replaceAll('\\', '/');
  const parts = path.split('/');
  const at = parts.lastIndexOf('node_modules');
  if (at < 0) {
    // A bare specifier left in a namespace (`node:net`, `(disabled):fs`) names the module itself.
    return namespaced ? path.replace(/^node:/, '').split('/')[0] : undefined;
  }
  const name = parts[at + 1];
  if (name === undefined) return undefined;
  return name.startsWith('@') ? `${name}/${parts[at + 2] ?? ''}` : name;
}

/** Inputs of a metafile that come from a forbidden package. */
export function forbiddenInputs(metafile: Metafile): string[] {
  const found = Object.keys(metafile.inputs).filter((input) => {
    const pkg = packageOf(input);
    return pkg !== undefined && FORBIDDEN_PACKAGES.has(pkg);
  });
  // Imports left external (e.g. `node:` modules) are as bad as bundled ones.
  for (const output of Object.values(metafile.outputs)) {
    for (const imp of output.imports) if (imp.external) found.push(`external:${imp.path}`);
  }
  return found;
}

/** The generated entry module's name (it is not a file on disk). */
const ENTRY_FILE = 'size-entry.js';

/** Bundles one entry for the browser (minified ESM) and gzips it at level 9. */
export async function measure(entry: SizeEntry): Promise<Measured> {
  const contents =
    entry.source ??
    entry.imports
      .map((spec, i) => `import * as m${i} from ${JSON.stringify(spec)};`)
      .concat(`export { ${entry.imports.map((_, i) => `m${i}`).join(', ')} };`)
      .join('\n');
  const resolveDir = entry.resolveDir ?? benchDir;
  const result = await build({
    stdin: { contents, resolveDir, sourcefile: ENTRY_FILE },
    bundle: true,
    write: false,
    minify: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['browser'],
    target: 'es2022',
    metafile: true,
    logLevel: 'silent',
    absWorkingDir: repoDir,
    // An app does not see our tsconfig `paths` (they map @mqttkit/* to src/ for typecheck).
    tsconfigRaw: {},
    plugins: [replaceFiles(entry.replace ?? {})],
  });
  const bytes = result.outputFiles[0]?.contents ?? new Uint8Array(0);
  const entryKey = relative(repoDir, join(resolveDir, ENTRY_FILE)).replaceAll('\\', '/');
  return {
    name: entry.name,
    minified: bytes.length,
    gzipped: gzipSync(bytes, { level: 9 }).length,
    inputs: Object.keys(result.metafile.inputs).filter((i) => i !== entryKey),
    kept: Object.values(result.metafile.outputs).flatMap((o) =>
      Object.entries(o.inputs)
        .filter(([i, used]) => used.bytesInOutput > 0 && i !== entryKey)
        .map(([i]) => i),
    ),
    // All inputs, not only the kept ones: a dev server would still load what was shaken out.
    forbidden: forbiddenInputs(result.metafile),
  };
}

/** An esbuild plugin that loads `text` instead of each file whose path ends with its key. */
function replaceFiles(replace: Readonly<Record<string, string>>): Plugin {
  return {
    name: 'replace-files',
    setup(b) {
      const ends = Object.keys(replace);
      if (ends.length === 0) return;
      b.onLoad({ filter: /\.js$/ }, (args) => {
        const end = ends.find((e) => args.path.replaceAll('\\', '/').endsWith(e));
        return end === undefined ? undefined : { contents: replace[end], loader: 'js' };
      });
    },
  };
}

/**
 * The built file each mqttkit package's browser entry points to; throws a clear error when a
 * package has not been built (the check measures dist/, never sources).
 */
export function assertBuilt(): void {
  const require = createRequire(join(benchDir, 'package.json'));
  const missing: string[] = [];
  for (const name of ['@mqttkit/client', ...LAYERS]) {
    const manifestPath = require.resolve(`${name}/package.json`);
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
      exports: Record<string, unknown>;
    };
    const target = pickBrowserTarget(manifest.exports['.']);
    const file = target && join(dirname(manifestPath), target);
    if (!file || !existsSync(file))
      missing.push(`${name} (${target ?? 'no browser/import entry'})`);
  }
  if (missing.length > 0) {
    throw new Error(
      `size check needs the built packages; missing: ${missing.join(', ')}. ` +
        'Run `pnpm build` at the repository root first (root `pnpm test` does).',
    );
  }
}

function pickBrowserTarget(node: unknown): string | undefined {
  if (typeof node === 'string') return node;
  if (typeof node !== 'object' || node === null) return undefined;
  const map = node as Record<string, unknown>;
  for (const key of ['browser', 'import', 'default']) {
    if (key in map) return pickBrowserTarget(map[key]);
  }
  return undefined;
}

export interface SizeReport {
  rows: Measured[];
  reference: Measured;
  /** The budgeted bundle, `@mqttkit/client`. */
  client: Measured;
  combined: Measured;
  /** The client bundle without mqtt-packet's part (`WITHOUT_MQTT_PACKET`). */
  withoutMqttPacket: Measured;
  problems: string[];
}

/** Measures every entry and MQTT.js; `problems` is empty when the check passes. */
export async function runSizeCheck(): Promise<SizeReport> {
  assertBuilt();
  const rows: Measured[] = [];
  for (const entry of MQTTKIT_ENTRIES) rows.push(await measure(entry));
  const reference = await measure(MQTTJS_ENTRY);
  const withoutMqttPacket = await measure(WITHOUT_MQTT_PACKET);
  const client = rows.find((r) => r.name === CLIENT) as Measured;
  const combined = rows.find((r) => r.name === COMBINED) as Measured;
  const problems: string[] = [];
  for (const r of rows) {
    if (r.forbidden.length > 0) {
      problems.push(`${r.name} pulls in Node built-ins or polyfills: ${r.forbidden.join(', ')}`);
    }
    const foreign = r.inputs.filter((i) => !/(^|\/)packages\/[^/]+\/dist\//.test(i));
    if (foreign.length > 0) {
      problems.push(`${r.name} bundles files outside the packages' dist/: ${foreign.join(', ')}`);
    }
  }
  if (client.gzipped > BUDGET_GZIP_BYTES) {
    problems.push(
      `${CLIENT} is ${client.gzipped} B gzipped, over the ${BUDGET_GZIP_BYTES} B budget`,
    );
  }
  if (!reference.inputs.some((i) => i.endsWith('mqtt/dist/mqtt.esm.js'))) {
    problems.push(`MQTT.js resolved to ${reference.inputs.join(', ')}, not dist/mqtt.esm.js`);
  }
  if (!client.inputs.includes(MQTT_PACKET_FILE)) {
    problems.push(`${CLIENT} no longer reads ${MQTT_PACKET_FILE}; update WITHOUT_MQTT_PACKET`);
  }
  return { rows, reference, client, combined, withoutMqttPacket, problems };
}

const kb = (n: number): string => `${(n / 1000).toFixed(1)} KB`;
const signedKb = (n: number): string => `${n >= 0 ? '+' : ''}${kb(n)}`;

/** The table printed by `pnpm size`. */
export function formatReport(report: SizeReport): string {
  const mqttPacket = report.client.gzipped - report.withoutMqttPacket.gzipped;
  const header = ['bundle (browser, esbuild minify)', 'minified', 'gzip -9', 'vs MQTT.js (gzip)'];
  const all = [...report.rows, report.reference];
  const body = all.map((r) => [
    r.name,
    kb(r.minified),
    kb(r.gzipped),
    `${((100 * r.gzipped) / report.reference.gzipped).toFixed(1)} %`,
  ]);
  const widths = header.map((h, c) =>
    Math.max(h.length, ...body.map((row) => row[c]?.length ?? 0)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join(' | ')} |`;
  return [
    line(header),
    `|${widths.map((w, c) => (c === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`,
    ...body.map(line),
    '',
    `budget: ${CLIENT} <= ${kb(BUDGET_GZIP_BYTES)} gzipped, enforced (${report.client.gzipped} B now); ` +
      `goal ${kb(GOAL_GZIP_BYTES)}: ${report.client.gzipped <= GOAL_GZIP_BYTES ? 'met' : `not met, ${report.client.gzipped - GOAL_GZIP_BYTES} B over`}; KB = 1000 bytes`,
    `of it mqtt-packet (${MQTT_PACKET_FILE}): ${kb(mqttPacket)} gzipped; ` +
      `everything else: ${kb(report.withoutMqttPacket.gzipped)}, ` +
      `so the goal leaves ${kb(GOAL_GZIP_BYTES - mqttPacket)} for it`,
    `previous build (mqtt-packet's source edited for browsers, recorded figures): ${CLIENT} ` +
      `${kb(PREVIOUS_BUILD.clientGzipBytes)} gzipped, mqtt-packet ${kb(PREVIOUS_BUILD.mqttPacketGzipBytes)}; ` +
      `now ${kb(report.client.gzipped)} (${signedKb(report.client.gzipped - PREVIOUS_BUILD.clientGzipBytes)}), ` +
      `mqtt-packet ${kb(mqttPacket)} (${signedKb(mqttPacket - PREVIOUS_BUILD.mqttPacketGzipBytes)})`,
  ].join('\n');
}
