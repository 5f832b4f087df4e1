/**
 * How the browser tests get Chromium: Debian's, never one a tool downloads. The launch itself
 * stays with each test (playwright-core is theirs to import), so loading the testkit does not
 * load a browser driver.
 */
import { existsSync } from 'node:fs';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Sandboxing needs privileges a CI container lacks; the rest keeps Chromium off the network. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
];

/**
 * Whether a browser test should be skipped: only on a developer machine without Chromium. On CI
 * (which installs it) a missing browser fails the run instead.
 */
export const skipWithoutChromium = (): boolean => !existsSync(CHROMIUM_PATH) && !process.env.CI;
