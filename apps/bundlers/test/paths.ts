import { fileURLToPath } from 'node:url';

/** apps/bundlers/, the root Vite and webpack build from. */
export const APP_DIR = fileURLToPath(new URL('../', import.meta.url));
/** The repository root. */
export const REPO_DIR = fileURLToPath(new URL('../../../', import.meta.url));
/** Where each bundler writes its build (under dist/, which git, biome and turbo ignore). */
export const OUT_DIRS = {
  vite: `${APP_DIR}dist/vite`,
  webpack: `${APP_DIR}dist/webpack`,
} as const;
