import {
  createClient,
  type Message,
  type MqttClient,
  type MqttClientEvents,
} from '@mqttkit/client';
import {
  type AedesHandle,
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  nextEvent,
  type StaticSite,
  serveStatic,
  skipWithoutChromium,
  startAedes,
} from '@mqttkit/testkit';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWithVite } from './build-vite.js';
import { buildWithWebpack } from './build-webpack.js';
import { BROWSER_TRANSPORT, type BuildReport, foreignFiles } from './bundle-inputs.js';

const noBrowser = skipWithoutChromium();
const STEP_MS = 10_000;
const decoder = new TextDecoder();

const nextMessage = (client: MqttClient, topic: string): Promise<Message> =>
  nextEvent<MqttClientEvents, 'message'>(client, 'message', {
    ms: STEP_MS,
    where: (message) => message.topic === topic,
  });

const BUNDLERS = [
  { name: 'Vite (no config file)', prefix: 'vite', build: buildWithVite },
  { name: 'webpack 5 (default config)', prefix: 'webpack', build: buildWithWebpack },
];

describe('an app importing @mqttkit/client, built by a bundler with its defaults', () => {
  let broker: AedesHandle;
  let node: MqttClient;
  let browser: Browser | undefined;

  beforeAll(async () => {
    broker = await startAedes({ ws: true });
    node = createClient({ url: broker.url, protocolVersion: 4, clientId: 'node-side' });
    await node.connect({ signal: AbortSignal.timeout(STEP_MS) });
    await node.subscribe('+/to-node', { qos: 1 });
    if (noBrowser) return;
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: [...CHROMIUM_ARGS, '--disable-gpu', '--no-first-run', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await node?.end({ force: true });
    await broker?.close();
  });

  describe.each(BUNDLERS)('$name', ({ prefix, build }) => {
    let report: BuildReport;
    let site: StaticSite;

    beforeAll(async () => {
      report = await build();
      site = await serveStatic(report.dir);
    });

    afterAll(async () => {
      await site?.close();
    });

    it('builds without a warning', () => {
      expect(report.warnings).toEqual([]);
    });

    it('bundles the browser builds only: no Node built-in, polyfill or Node-only module', () => {
      expect(foreignFiles(report.modules)).toEqual([]);
      expect(report.modules).toContain('apps/bundlers/src/main.js');
      expect(report.modules).toContain(BROWSER_TRANSPORT);
    });

    it.skipIf(noBrowser)('round-trips messages in Chromium over WebSocket', async () => {
      const page: Page = await (browser as Browser).newPage();
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
      });
      page.setDefaultTimeout(STEP_MS);
      try {
        const fromPage = nextMessage(node, `${prefix}/to-node`);
        const wsUrl = broker.wsUrl as string;
        await page.goto(`${site.url}/?url=${encodeURIComponent(wsUrl)}&prefix=${prefix}`);
        // The page connects, subscribes, gets its own publish back, then tells Node.
        const status = page.locator('#status[data-state="ready"], #status[data-state="failed"]');
        await status.waitFor();
        expect(await status.textContent()).toBe('round trip done; waiting for Node');
        expect(decoder.decode((await fromPage).payload)).toBe('got my echo: echo from the page');
        await page
          .locator(`#received li[data-topic="${prefix}/echo"]`, { hasText: 'echo from the page' })
          .waitFor();

        await node.publish(`${prefix}/from-node`, `hello ${prefix} page`, { qos: 1 });
        await page
          .locator(`#received li[data-topic="${prefix}/from-node"]`, {
            hasText: `hello ${prefix} page`,
          })
          .waitFor();
        expect(problems).toEqual([]);
      } finally {
        await page.close();
      }
    });
  });
});
