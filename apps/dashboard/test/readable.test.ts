import { EVENT_TYPES, STATE_TYPES, TRANSITION_TABLE } from '@mqttkit/state';
import { skipWithoutChromium } from '@mqttkit/testkit';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { overlaps, rectsOf } from './boxes.js';
import { type DashboardFixture, LAPTOP, PHONE, startDashboard } from './page-fixture.js';

// What each arrow must say, from @mqttkit/state's public table: every event of the (from, to)
// pair, in words (`transportClosed` -> `transport closed`), none left to a hover.
function expectedLabels(): Map<string, string> {
  const labels = new Map<string, string[]>();
  for (const from of STATE_TYPES) {
    for (const event of EVENT_TYPES) {
      const rule = TRANSITION_TABLE[from][event];
      if (rule.kind !== 'apply') continue;
      for (const to of rule.to) {
        const words = event.replace(/[A-Z]/g, (letter) => ` ${letter.toLowerCase()}`);
        labels.set(`${from}->${to}`, [...(labels.get(`${from}->${to}`) ?? []), words]);
      }
    }
  }
  return new Map([...labels].map(([key, events]) => [key, events.join(', ')]));
}

/** Entries of `#events` that the list's visible box cuts (partly in view, partly not). */
const cutEntries = (page: Page): Promise<string[]> =>
  page.$eval('#events', (list) => {
    list.scrollTop = 0;
    const view = list.getBoundingClientRect();
    return [...list.children]
      .map((item) => ({ box: item.getBoundingClientRect(), text: item.textContent ?? '' }))
      .filter(({ box }) => box.top < view.bottom - 0.5 && box.bottom > view.bottom + 0.5)
      .map(({ text }) => text);
  });

describe.skipIf(skipWithoutChromium())('dashboard readability in a real browser', () => {
  let dashboard: DashboardFixture;

  beforeAll(async () => {
    dashboard = await startDashboard();
  }, 30_000);
  afterAll(async () => {
    await dashboard?.close();
  });

  for (const [name, viewport] of [
    ['1366x900', LAPTOP],
    ['phone width (390x844)', PHONE],
  ] as const) {
    it(`at ${name}: no edge label overlaps another or a node, each lists all its events, the events card shows whole entries`, async () => {
      const { page, errors } = await dashboard.open(viewport);
      await page.goto(dashboard.pageUrl());
      await page.locator('#state[data-state="connected"]').waitFor();
      await page.locator('.diagram .node.current[data-state="connected"]').waitFor();

      const labels = await rectsOf(page, '.diagram .edge text', 'data-key');
      const nodes = await rectsOf(page, '.diagram .node rect', 'data-state');
      expect(nodes).toHaveLength(STATE_TYPES.length);
      const expected = expectedLabels();
      expect(labels).toHaveLength(expected.size);
      expect(overlaps(labels, labels)).toEqual([]);
      expect(overlaps(labels, nodes)).toEqual([]);
      const shown = await page.$$eval('.diagram .edge', (edges) =>
        edges.map((edge): [string, string] => [
          `${edge.getAttribute('data-from')}->${edge.getAttribute('data-to')}`,
          [...edge.querySelectorAll('tspan')].map((line) => line.textContent).join(' '),
        ]),
      );
      expect(new Map(shown)).toEqual(expected);

      // Labels are drawn at 80% of their 11 px or more; on a phone the diagram scrolls instead.
      const scale = await page.$eval(
        '.diagram',
        (svg) => svg.getBoundingClientRect().width / (svg as SVGSVGElement).viewBox.baseVal.width,
      );
      expect(scale).toBeGreaterThanOrEqual(0.79);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
        viewport.width,
      );
      // The current state is in view inside the diagram's box, scrolled there if need be.
      const inView = await page.$eval('#diagram', (box) => {
        const node = box.querySelector('.node.current rect')?.getBoundingClientRect();
        const view = box.getBoundingClientRect();
        return node !== undefined && node.left >= view.left && node.right <= view.right;
      });
      expect(inView).toBe(true);

      // Enough connection events to overflow the card: each End / Connect adds two.
      for (let i = 0; i < 6; i++) {
        await page.click('#disconnect');
        await page.locator('#state[data-state="closed"]').waitFor();
        await page.click('#broker-form button[type="submit"]');
        await page.locator('#state[data-state="connected"]').waitFor();
      }
      await expect.poll(() => page.locator('#events li').count()).toBeGreaterThanOrEqual(12);
      const overflowing = await page.$eval(
        '#events',
        (list) => list.scrollHeight > list.clientHeight,
      );
      expect(overflowing).toBe(true);
      await expect.poll(() => cutEntries(page)).toEqual([]);
      const tag = viewport === PHONE ? 'phone' : '1366';
      await page.screenshot({ path: `/tmp/dashboard-${tag}.png`, fullPage: true });
      expect(errors).toEqual([]);
      await page.context().close();
    });
  }
});
