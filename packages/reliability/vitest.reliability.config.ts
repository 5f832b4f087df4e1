import { defineConfig } from 'vitest/config';
import { workspaceAlias } from '../../vitest.workspace-alias.mjs';

// `pnpm test:reliability` (root): the slow scenarios. Each test has its own bound; the whole
// run stays within a few minutes so CI stays under 15.
export default defineConfig({
  resolve: { alias: workspaceAlias },
  test: {
    name: 'reliability-slow',
    include: ['slow/**/*.test.ts'],
    testTimeout: 240_000,
    hookTimeout: 30_000,
    // Timing scenarios measure real time: one file at a time keeps them honest on small CI boxes.
    fileParallelism: false,
    // The hostile-broker soak measures heap growth after forced collections.
    pool: 'forks',
    poolOptions: { forks: { execArgv: ['--expose-gc'] } },
  },
});
