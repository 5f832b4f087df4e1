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

/** What the readability checks need from a page at its current size. */
async function checkDiagram(page: Page, width: number): Promise<void> {
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
    width,
  );
}

/** Whether the highlighted state lies within the diagram's visible box. */
const currentInView = (page: Page): Promise<boolean> =>
  page.$eval('#diagram', (box) => {
    const node = box.querySelector('.node.current rect')?.getBoundingClientRect();
    const view = box.getBoundingClientRect();
    return node !== undefined && node.left >= view.left && node.right <= view.right;
  });

// One page, loaded once (ELK's layout is the slow part of a load) and looked at in both sizes.
describe.skipIf(skipWithoutChromium())('dashboard readability in a real browser', () => {
  let dashboard: DashboardFixture;

  beforeAll(async () => {
    dashboard = await startDashboard();
  }, 30_000);
  afterAll(async () => {
    await dashboard?.close();
  });

  it('at 1366x900 and at 390x844: no edge label overlaps another or a node, each lists all its events, the events card shows whole entries', async () => {
    const { page, errors } = await dashboard.open(LAPTOP);
    await page.goto(dashboard.pageUrl());
    await page.locator('#state[data-state="connected"]').waitFor();
    await page.locator('.diagram .node.current[data-state="connected"]').waitFor();
    await checkDiagram(page, LAPTOP.width);
    expect(await currentInView(page)).toBe(true);

    await page.setViewportSize(PHONE);
    await checkDiagram(page, PHONE.width);
    expect(await page.$eval('#diagram', (box) => box.scrollWidth > box.clientWidth)).toBe(true);

    // Enough connection events to overflow the card: each End / Connect adds three (closed,
    // stopped, connected), of one or two lines each; the card holds about five. Each state change
    // also scrolls the phone's diagram to the current state.
    for (let i = 0; i < 4; i++) {
      await page.click('#disconnect');
      await page.locator('#state[data-state="closed"]').waitFor();
      await page.click('#broker-form button[type="submit"]');
      await page.locator('#state[data-state="connected"]').waitFor();
    }
    expect(await currentInView(page)).toBe(true);
    await expect.poll(() => page.locator('#events li').count()).toBeGreaterThanOrEqual(13);
    const overflowing = await page.$eval(
      '#events',
      (list) => list.scrollHeight > list.clientHeight,
    );
    expect(overflowing).toBe(true);
    await expect.poll(() => cutEntries(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/dashboard-phone.png', fullPage: true });

    // Back to the laptop: the entries wrap to fewer lines, the list is cut again at a whole one.
    await page.setViewportSize(LAPTOP);
    await expect.poll(() => cutEntries(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/dashboard-1366.png', fullPage: true });
    expect(errors).toEqual([]);
  });
});
