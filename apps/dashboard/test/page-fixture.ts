/**
 * The setup the dashboard's readability tests share: the built page (`dist/`) served on 127.0.0.1,
 * aedes with its WebSocket listener, and headless Chromium (Debian's, never a downloaded one).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  type AedesHandle,
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  type StartAedesOptions,
  type StaticSite,
  serveStatic,
  startAedes,
} from '@mqttkit/testkit';
import { type Browser, chromium, type Page } from 'playwright-core';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
export const STEP_MS = 10_000;

export const PHONE = { width: 390, height: 844 } as const;
export const LAPTOP = { width: 1366, height: 900 } as const;

export interface DashboardFixture {
  readonly broker: AedesHandle;
  /** The page's address for this broker, with extra query parameters. */
  pageUrl(query?: Record<string, string>): string;
  /** A new page (its own context, so its own localStorage) at this size, errors collected. */
  open(viewport: { width: number; height: number }): Promise<{ page: Page; errors: string[] }>;
  close(): Promise<void>;
}

export async function startDashboard(
  broker: StartAedesOptions['broker'] = {},
): Promise<DashboardFixture> {
  if (!existsSync(`${dist}index.html`)) {
    throw new Error(
      `${dist}index.html is missing: run \`pnpm --filter @mqttkit/dashboard build\` first (the root \`pnpm test\` builds)`,
    );
  }
  const aedes = await startAedes({ ws: true, broker });
  let site: StaticSite | undefined;
  let browser: Browser | undefined;
  try {
    site = await serveStatic(dist);
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: [...CHROMIUM_ARGS, '--disable-gpu', '--no-first-run', '--disable-sync'],
    });
  } catch (error) {
    await site?.close();
    await aedes.close();
    throw error;
  }
  const siteUrl = site.url;
  const launched = browser;
  return {
    broker: aedes,
    pageUrl(query = {}) {
      const params = new URLSearchParams({ url: aedes.wsUrl as string, ...query });
      return `${siteUrl}/?${params}`;
    },
    async open(viewport) {
      const context = await launched.newContext({ viewport });
      const page = await context.newPage();
      page.setDefaultTimeout(STEP_MS);
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      return { page, errors };
    },
    async close() {
      await launched.close();
      await site?.close();
      await aedes.close();
    },
  };
}
