import { copyFile, mkdir } from 'node:fs/promises';
import { build } from 'esbuild';
import { APP_DIR, FIXTURES_DIR, WORKER_OUT_DIR } from './paths.js';

/** What the worker build produced: where its page is, and the files bundled into the worker. */
export interface WorkerBuild {
  dir: string;
  inputs: string[];
  warnings: string[];
}

/**
 * Bundles fixtures/worker/worker.js for the browser (esbuild's `browser` platform, so the
 * `browser` condition of the packages' exports picks their browser builds and a Node built-in
 * fails the build) and puts it beside the page that starts it.
 */
export async function buildWorker(): Promise<WorkerBuild> {
  await mkdir(WORKER_OUT_DIR, { recursive: true });
  const result = await build({
    entryPoints: [`${FIXTURES_DIR}worker/worker.js`],
    absWorkingDir: APP_DIR,
    // The repository's tsconfig maps @mqttkit/* to sources for development; an app sees the
    // published packages, so no tsconfig is read.
    tsconfigRaw: {},
    bundle: true,
    platform: 'browser',
    format: 'esm',
    outfile: `${WORKER_OUT_DIR}worker.js`,
    metafile: true,
    logLevel: 'silent',
  });
  await copyFile(`${FIXTURES_DIR}worker/index.html`, `${WORKER_OUT_DIR}index.html`);
  return {
    dir: WORKER_OUT_DIR,
    inputs: Object.keys(result.metafile.inputs),
    warnings: result.warnings.map((warning) => warning.text),
  };
}
