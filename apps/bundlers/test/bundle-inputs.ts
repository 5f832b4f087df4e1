import { relative, sep } from 'node:path';
import { REPO_DIR } from './paths.js';

/**
 * The only files a browser or React Native bundle of the fixture may contain: the app itself and
 * the built mqttkit packages it reaches, codec through its browser build (mqtt-packet over small
 * shims, already inside dist/browser/). Anything else is reported: a Node built-in, a polyfill
 * package (`buffer`, `process`, `events`, `readable-stream`...), the Node `ws` package, an empty
 * stub a bundler put in place of a module it could not bundle, codec's Node build.
 */
const ALLOWED = [
  /^apps\/bundlers\/(src\/main\.js|index\.html)$/,
  // Their own modules, in dist/ or a folder of it (the client's `session/`).
  /^packages\/(client|keepalive|state)\/dist\/([\w-]+\/)*[\w-]+\.js$/,
  // transport's modules but its Node-only ones (TCP, TLS, the `ws` package and their entry).
  /^packages\/transport\/dist\/(?!(index|open|tcp|tls|ws|socket-link)\.js$)[\w-]+\.js$/,
  // codec's browser build, one file per module in the folders of its src/.
  /^packages\/codec\/dist\/browser\/([\w-]+\/)?[\w-]+\.js$/,
  // Vite's default `<link rel="modulepreload">` polyfill for older browsers: not a Node shim.
  /^\0vite\/modulepreload-polyfill\.js$/,
];

/** What a fixture build produced, for the tests to check. */
export interface BuildReport {
  /** Directory holding the page (index.html and its script). */
  dir: string;
  /** Every module in the bundle, repository-relative (see `repoPath`). */
  modules: string[];
  /** Warnings (and logged errors) of the bundler; a clean default build has none. */
  warnings: string[];
}

/** The browser WebSocket opener of transport: proof that its browser entry was picked. */
export const BROWSER_TRANSPORT = 'packages/transport/dist/open-browser.js';

/**
 * A module id relative to the repository, with `/` separators. Virtual modules (ids starting
 * with NUL, by Rollup's convention) are not files and stay as they are.
 */
export function repoPath(id: string): string {
  if (id.startsWith('\0')) return id;
  return relative(REPO_DIR, id).split(sep).join('/');
}

/** The files of `files` (repository-relative) that are not allowed in the bundle. */
export function foreignFiles(files: readonly string[]): string[] {
  return files.filter((file) => !ALLOWED.some((pattern) => pattern.test(file)));
}
