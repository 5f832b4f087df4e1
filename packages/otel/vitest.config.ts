import { defineProject } from 'vitest/config';
import { workspaceAlias } from '../../vitest.workspace-alias.mjs';

export default defineProject({
  resolve: { alias: workspaceAlias },
  test: { name: 'otel', include: ['test/**/*.test.ts'], testTimeout: 20_000 },
});
