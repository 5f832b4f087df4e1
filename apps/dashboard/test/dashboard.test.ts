import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
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
  type FaultProxy,
  nextEvent,
  serveStatic,
  skipWithoutChromium,
  startAedes,
  startFaultProxy,
} from '@mqttkit/testkit';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const skip = skipWithoutChromium();
const STEP_MS = 10_000;

const nextMessage = (client: MqttClient, topic: string): Promise<Message> =>
  nextEvent<MqttClientEvents, 'message'>(client, 'message', {
    ms: STEP_MS,
    where: (message) => message.topic === topic,
  });

// The built page in headless Chromium, against aedes (WebSocket) behind a fault proxy.
describe.skipIf(skip)('dashboard in a real browser', () => {
  let broker: AedesHandle;
  let proxy: FaultProxy;
  let site: { url: string; close(): Promise<void> };
  let node: MqttClient;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(`${dist}index.html`)) {
      throw new Error(
        `${dist}index.html is missing: run \`pnpm --filter @mqttkit/dashboard build\` first (the root \`pnpm test\` builds)`,
      );
    }
    broker = await startAedes({ ws: true });
    // The proxy works on TCP, so it carries the WebSocket bytes as they are.
    proxy = await startFaultProxy({ target: { host: '127.0.0.1', port: broker.wsPort as number } });
    site = await serveStatic(dist);
    node = createClient({ url: broker.url, protocolVersion: 4, clientId: 'node-side' });
    await node.connect({ signal: AbortSignal.timeout(STEP_MS) });
    await node.subscribe('dash/to-node', { qos: 1 });
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: [...CHROMIUM_ARGS, '--disable-gpu', '--no-first-run', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(STEP_MS);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const wsUrl = `ws://127.0.0.1:${proxy.port}/mqtt`;
    await page.goto(`${site.url}/?url=${encodeURIComponent(wsUrl)}&keepalive=2`);
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await node?.end({ force: true });
    await site?.close();
    await proxy?.close();
    await broker?.close();
  });

  it('connects over WebSocket and highlights connected on the generated diagram', async () => {
    await page.locator('#state[data-state="connected"]').waitFor();
    await page.locator('.diagram .node.current[data-state="connected"]').waitFor();
    // Every state of @mqttkit/state is drawn, with the edges of its transition table.
    expect(await page.locator('.diagram .node').count()).toBe(7);
    expect(await page.locator('.diagram .edge').count()).toBeGreaterThan(10);
    await expect
      .poll(() => page.locator('.diagram .edge.taken').getAttribute('data-from'))
      .toBe('awaitingConnack');
  });

  it('publishes from the page; Node receives it', async () => {
    const received = nextMessage(node, 'dash/to-node');
    await page.fill('#pub-topic', 'dash/to-node');
    await page.fill('#pub-payload', 'hello from the page');
    await page.selectOption('#pub-qos', '1');
    await page.click('#pub-form button[type="submit"]');
    const message = await received;
    expect(new TextDecoder().decode(message.payload)).toBe('hello from the page');
    expect(message.qos).toBe(1);
    await page.locator('#pub-result.ok', { hasText: 'PUBACK' }).waitFor();
  });

  it('subscribes from the page and shows what Node publishes in its log', async () => {
    await page.fill('#sub-filter', 'dash/from-node');
    await page.selectOption('#sub-qos', '1');
    await page.click('#sub-form button[type="submit"]');
    await page.locator('#subscriptions li.ok', { hasText: 'granted QoS 1' }).waitFor();
    await node.publish('dash/from-node', 'hello from node', { qos: 1 });
    await page
      .locator('#log li', { hasText: 'dash/from-node = hello from node (QoS 1)' })
      .waitFor();
  });

  it('shows keepalive pings and their RTT', async () => {
    // keepalive=2: the page is quiet, so a PINGREQ goes out within about 2 s. The diagram's layout
    // (ELK, in a worker) can keep the first test waiting long enough for more than one: any will do.
    await page
      .locator('#pings li', { hasText: /PINGRESP, RTT [\d.]+ ms/ })
      .first()
      .waitFor();
    await expect.poll(async () => Number(await page.textContent('#pings-sent'))).toBeGreaterThan(0);
    expect(await page.textContent('#rtt')).toMatch(/^[\d.]+ ms$/);
  });

  it('shows the close reason when the link is cut, then the reconnect', async () => {
    proxy.setMode('cut');
    await page
      .locator('#events li.warn', { hasText: /closed: transport-\w+ \(initiator network/ })
      .waitFor();
    await page.locator('.diagram .node.current:not([data-state="connected"])').waitFor();
    await page.locator('#state[data-state="reconnectWait"]').waitFor();
    proxy.setMode('pass');
    await page.locator('#events li.ok', { hasText: /reconnected \(attempt \d+\)/ }).waitFor();
    await page.locator('.diagram .node.current[data-state="connected"]').waitFor();
    await expect.poll(async () => Number(await page.textContent('#reconnects'))).toBe(1);
    // The subscription came back with the new session: Node's message reaches the page again.
    await node.publish('dash/from-node', 'after the reconnect', { qos: 1 });
    await page.locator('#log li', { hasText: 'after the reconnect' }).waitFor();
    await page.screenshot({ path: '/tmp/dashboard.png', fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
