import { defineProject } from 'vitest/config';

// Apps are tested as users run them: against the built packages, not their sources.
export default defineProject({
  test: { name: 'tracing', include: ['test/**/*.test.ts'] },
});
