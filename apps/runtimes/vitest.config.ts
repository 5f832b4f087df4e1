import { defineProject } from 'vitest/config';

// Runs the built packages in Bun, in Deno (binaries from the npm packages of the same names) and
// in a Web Worker in headless Chromium; each run starts a process, hence the longer timeouts.
export default defineProject({
  test: {
    name: 'runtimes',
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
