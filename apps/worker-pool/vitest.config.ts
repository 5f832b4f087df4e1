import { defineProject } from 'vitest/config';

// Apps are tested as users run them: against the built packages, not their sources.
export default defineProject({
  test: { name: 'worker-pool', include: ['test/**/*.test.ts'], testTimeout: 60_000 },
});
