import { defineProject } from 'vitest/config';

// Builds the fixture page with Vite and with webpack inside the run, then loads each build in a
// real (headless) Chromium; the builds alone take several seconds on a small machine.
export default defineProject({
  test: {
    name: 'bundlers',
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
