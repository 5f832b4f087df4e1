import { defineProject } from 'vitest/config';
import { workspaceAlias } from '../../vitest.workspace-alias.mjs';

// The fast scenarios: part of the ordinary `pnpm test`. The slow ones (minutes of real time,
// 10k-message runs, broker restarts) live in slow/ and run with vitest.reliability.config.ts.
export default defineProject({
  resolve: { alias: workspaceAlias },
  test: { name: 'reliability', include: ['test/**/*.test.ts'], testTimeout: 30_000 },
});
