import { defineProject } from 'vitest/config';

// The CLI is tested as users run it: the built binary, against real brokers.
export default defineProject({
  test: { name: 'cli', include: ['test/**/*.test.ts'], testTimeout: 20_000 },
});
