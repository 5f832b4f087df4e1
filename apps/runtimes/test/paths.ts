import { fileURLToPath } from 'node:url';

/** apps/runtimes/: the cwd of the Bun and Deno runs, whose package.json Deno reads. */
export const APP_DIR = fileURLToPath(new URL('../', import.meta.url));
/** The scripts the runtimes run. */
export const FIXTURES_DIR = `${APP_DIR}fixtures/`;
/** Where the Web Worker page is bundled (under dist/, which git, biome and turbo ignore). */
export const WORKER_OUT_DIR = `${APP_DIR}dist/worker/`;
