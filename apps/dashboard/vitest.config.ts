import { defineProject } from 'vitest/config';

// The dashboard is tested as users see it: the built page in a real (headless) Chromium.
export default defineProject({
  test: { name: 'dashboard', include: ['test/**/*.test.ts'], testTimeout: 60_000 },
});
