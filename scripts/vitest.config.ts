import { defineProject } from 'vitest/config';
import { workspaceAlias } from '../vitest.workspace-alias.mjs';

export default defineProject({
  resolve: { alias: workspaceAlias },
  test: { name: 'scripts', include: ['test/**/*.test.ts'] },
});
