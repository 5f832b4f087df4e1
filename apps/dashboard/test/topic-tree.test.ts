import { createClient, type MqttClient } from '@mqttkit/client';
import { skipWithoutChromium } from '@mqttkit/testkit';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DashboardFixture, LAPTOP, STEP_MS, startDashboard } from './page-fixture.js';

const countOf = (page: Page, topic: string): Promise<string | null> =>
  page.locator(`#topic-tree button[data-topic="${topic}"] .count`).textContent();

// Messages published by a Node client through aedes reach the page over WebSocket.
describe.skipIf(skipWithoutChromium())('dashboard topic tree in a real browser', () => {
  let dashboard: DashboardFixture;
  let node: MqttClient;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    dashboard = await startDashboard();
    node = createClient({ url: dashboard.broker.url, protocolVersion: 4, clientId: 'publisher' });
    await node.connect({ signal: AbortSignal.timeout(STEP_MS) });
    // Retained before the page subscribes, so it reaches the page with its retain flag set (a
    // message published to an existing subscription arrives with retain 0 [MQTT-3.3.1-9]).
    await node.publish('home/hall/door', 'open', { qos: 1, retain: true });
    ({ page, errors } = await dashboard.open(LAPTOP));
    await page.goto(dashboard.pageUrl());
    await page.locator('#state[data-state="connected"]').waitFor();
    await page.fill('#sub-filter', 'home/#');
    await page.click('#sub-form button[type="submit"]');
    await page.locator('#subscriptions li.ok', { hasText: 'granted' }).waitFor();
  }, 30_000);
  afterAll(async () => {
    await node?.end({ force: true });
    await dashboard?.close();
  });

  it('counts messages per topic level and pretty-prints the last JSON payload', async () => {
    const reading = (celsius: number) => ({ celsius, sensor: { id: 'k1', battery: [3.1, 3.0] } });
    for (const celsius of [20, 21, 22]) {
      await node.publish('home/kitchen/temp', JSON.stringify(reading(celsius)), { qos: 1 });
    }
    await node.publish('home/hall/temp', '19.5', { qos: 1 });

    await expect.poll(() => countOf(page, 'home')).toBe('5');
    expect(await countOf(page, 'home/kitchen')).toBe('3');
    expect(await countOf(page, 'home/kitchen/temp')).toBe('3');
    expect(await countOf(page, 'home/hall')).toBe('2');
    expect(await countOf(page, 'home/hall/door')).toBe('1');
    // A level with no message of its own cannot be picked, only the topics below it.
    expect(await page.locator('#topic-tree button[data-topic="home"]').isDisabled()).toBe(true);

    await page.click('#topic-tree button[data-topic="home/kitchen/temp"]');
    const payload = page.locator('#topic-payload');
    await expect.poll(() => payload.getAttribute('data-kind')).toBe('json');
    expect(await payload.textContent()).toBe(JSON.stringify(reading(22), null, 2));
    expect(await page.textContent('#topic-detail')).toContain('3 messages; last: QoS 1');

    await page.click('#topic-tree button[data-topic="home/hall/door"]');
    await expect.poll(() => payload.textContent()).toBe('open');
    expect(await payload.getAttribute('data-kind')).toBe('text');
    expect(await page.textContent('#topic-detail')).toContain('retained');
    expect(errors).toEqual([]);
  });

  it('keeps 4 KiB of a payload and 1,000 topics, counting the rest', async () => {
    await node.publish('home/big', 'x'.repeat(10_000), { qos: 1 });
    await expect.poll(() => countOf(page, 'home/big')).toBe('1');
    await page.click('#topic-tree button[data-topic="home/big"]');
    await expect
      .poll(() => page.locator('#topic-payload').textContent())
      .toBe(`${'x'.repeat(4096)}\n… ${10_000 - 4096} more bytes not kept`);

    // 4 topics so far (6 messages); 996 more reach the cap, the 4 after them are only counted.
    for (let i = 0; i < 999; i++) node.publish(`home/many/${i}`, String(i), { qos: 0 });
    await node.publish('home/many/done', 'x', { qos: 1 });
    await expect
      .poll(() => page.textContent('#topic-summary'), { timeout: STEP_MS })
      .toBe('1000 topics, 1002 messages, 4 messages on further topics not kept');
    expect(await page.locator('#topic-tree button[data-topic="home/many/995"]').count()).toBe(1);
    expect(await page.locator('#topic-tree button[data-topic="home/many/996"]').count()).toBe(0);
    // A topic already kept still updates past the cap.
    await node.publish('home/hall/temp', '18.0', { qos: 1 });
    await expect.poll(() => countOf(page, 'home/hall/temp')).toBe('2');
    expect(errors).toEqual([]);
  });
});
