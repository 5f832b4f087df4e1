import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ARGS } from '@mqttkit/testkit';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';

export interface OwnChromium {
  browser: Browser;
  /** The browser's own default context: its pages are tabs of one window. */
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Headless Chromium started by the test itself, with Playwright attached over CDP.
 * `chromium.launch()` adds switches that turn off timer throttling and backgrounding
 * (`--disable-background-timer-throttling`, `--disable-renderer-backgrounding`...) and emulates
 * focus on every page, so its pages never become hidden. Started like this, a tab behind
 * another one is hidden and throttled as in a user's browser.
 */
export async function launchOwnChromium(
  executablePath: string,
  extraArgs: readonly string[] = [],
): Promise<OwnChromium> {
  const profile = await mkdtemp(join(tmpdir(), 'mqttkit-chromium-'));
  const child: ChildProcess = spawn(
    executablePath,
    [
      '--headless',
      ...CHROMIUM_ARGS,
      '--disable-gpu',
      '--no-first-run',
      '--disable-sync',
      '--remote-debugging-address=127.0.0.1',
      '--remote-debugging-port=0',
      `--user-data-dir=${profile}`,
      ...extraArgs,
      'about:blank',
    ],
    // Its own process group, so that close() also ends the renderer and helper processes, which
    // otherwise keep writing into the profile while it is being removed.
    { stdio: 'ignore', detached: true },
  );
  const exited = once(child, 'exit');
  const close = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      killGroup(child);
      await exited;
    }
    killGroup(child);
    await rm(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  };
  try {
    const port = await devToolsPort(profile);
    const browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`, {
      // Leave the default context as a user's: no focus emulation, no media overrides.
      noDefaults: true,
      timeout: 10_000,
    });
    const context = browser.contexts()[0];
    if (context === undefined) throw new Error('Chromium has no default context');
    return {
      browser,
      context,
      async close() {
        await browser.close().catch(() => {});
        await close();
      },
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** SIGKILL to the browser's process group; a group already gone is fine. */
function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // ESRCH: every process of the group has exited.
  }
}

/** Chromium writes the port it chose to `DevToolsActivePort` in its profile. */
async function devToolsPort(profile: string): Promise<number> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const text = await readFile(join(profile, 'DevToolsActivePort'), 'utf8').catch(() => '');
    const port = Number(text.split('\n')[0]);
    if (Number.isInteger(port) && port > 0) return port;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('Chromium did not open its DevTools port within 10 s');
}
