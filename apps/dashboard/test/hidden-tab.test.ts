import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  type AedesHandle,
  CHROMIUM_PATH,
  serveStatic,
  skipWithoutChromium,
  startAedes,
} from '@mqttkit/testkit';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchOwnChromium, type OwnChromium } from './own-chromium.js';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const skip = skipWithoutChromium();
const KEEPALIVE_S = 2;
// Seven keepalive intervals: aedes drops a client after 1.5 of them without a packet.
const HIDDEN_MS = 7 * KEEPALIVE_S * 1000;

interface BrokerEvent {
  type: 'connect' | 'disconnect' | 'ping' | 'keepalive-timeout';
  clientId: string;
  at: number;
}

/** How long a chain of three 50 ms timers takes on the page's main thread. */
function mainThreadChainMs(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const start = performance.now();
        let left = 3;
        const step = (): void => {
          left -= 1;
          if (left === 0) resolve(performance.now() - start);
          else setTimeout(step, 50);
        };
        setTimeout(step, 50);
      }),
  );
}

// Two dashboards connect to aedes with Keep Alive 2 s, one on worker timers
// (`createRealScheduler({ timers: createWorkerTimers() })`), one on the page's own timers. A
// third tab is then brought to the front, which hides both (checked inside each page).
// Chromium throttles a hidden tab's timers to one wake-up a second, and chains of timers to one
// a minute after a grace period: five minutes by default, 1 s here through the
// `IntensiveWakeUpThrottling` feature parameter, so the test does not last five minutes.
describe.skipIf(skip)('a hidden tab stays connected on worker timers', () => {
  let broker: AedesHandle;
  let site: { url: string; close(): Promise<void> };
  let chromium: OwnChromium;
  const events: BrokerEvent[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(`${dist}index.html`)) {
      throw new Error(
        `${dist}index.html is missing: run \`pnpm --filter @mqttkit/dashboard build\` first (the root \`pnpm test\` builds)`,
      );
    }
    broker = await startAedes({ ws: true });
    const record = (type: BrokerEvent['type'], clientId: string): void => {
      events.push({ type, clientId, at: performance.now() });
    };
    broker.broker.on('client', (client) => record('connect', client.id));
    broker.broker.on('clientDisconnect', (client) => record('disconnect', client.id));
    broker.broker.on('ping', (_packet, client) => record('ping', client.id));
    broker.broker.on('keepaliveTimeout', (client) => record('keepalive-timeout', client.id));
    site = await serveStatic(dist);
    chromium = await launchOwnChromium(CHROMIUM_PATH, [
      '--enable-features=IntensiveWakeUpThrottling:grace_period_seconds/1',
    ]);
  }, 30_000);

  afterAll(async () => {
    await chromium?.close();
    await site?.close();
    await broker?.close();
  });

  async function open(timers: 'worker' | 'host'): Promise<{ page: Page; clientId: string }> {
    const page = await chromium.context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const before = events.length;
    const wsUrl = encodeURIComponent(broker.wsUrl as string);
    await page.goto(`${site.url}/?url=${wsUrl}&keepalive=${KEEPALIVE_S}&timers=${timers}`);
    await page.locator('#state[data-state="connected"]').waitFor();
    expect(await page.textContent('#timers')).toBe(timers);
    const connect = events.slice(before).find((e) => e.type === 'connect');
    if (connect === undefined) throw new Error('the broker saw no connection from the page');
    return { page, clientId: connect.clientId };
  }

  const of = (clientId: string, type: BrokerEvent['type'], since = 0): BrokerEvent[] =>
    events.filter((e) => e.clientId === clientId && e.type === type && e.at >= since);

  it('pings on time while hidden; the same page on its own timers is dropped', async () => {
    const worker = await open('worker');
    // Visible, the page's own timers run on time.
    expect(await mainThreadChainMs(worker.page)).toBeLessThan(500);
    const host = await open('host');

    const front = await chromium.context.newPage();
    await front.bringToFront();
    const hiddenAt = performance.now();
    for (const { page } of [worker, host]) {
      expect(await page.evaluate(() => document.visibilityState)).toBe('hidden');
    }
    await new Promise((resolve) => setTimeout(resolve, HIDDEN_MS));
    expect(await worker.page.evaluate(() => document.visibilityState)).toBe('hidden');
    // Proof that the hidden page's own timers really are throttled (to 1 s wake-ups).
    expect(await mainThreadChainMs(worker.page)).toBeGreaterThan(1000);

    // Worker timers: one connection the whole time, PINGREQs kept arriving, never offline.
    expect(of(worker.clientId, 'connect')).toHaveLength(1);
    expect(of(worker.clientId, 'disconnect')).toHaveLength(0);
    expect(of(worker.clientId, 'keepalive-timeout')).toHaveLength(0);
    expect(of(worker.clientId, 'ping', hiddenAt).length).toBeGreaterThanOrEqual(5);
    expect(await worker.page.getAttribute('#state', 'data-state')).toBe('connected');
    expect(await worker.page.textContent('#reconnects')).toBe('0');
    expect(await worker.page.locator('#events li.warn').count()).toBe(0);

    // The control: on throttled timers the PINGREQ comes too late and aedes drops the client.
    // Without it this test could pass in a browser that throttles nothing.
    expect(of(host.clientId, 'keepalive-timeout', hiddenAt).length).toBeGreaterThanOrEqual(1);
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
