import { skipWithoutChromium } from '@mqttkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DashboardFixture, LAPTOP, startDashboard } from './page-fixture.js';

const USER = 'dash-user';
const SECRET = 'correct horse battery';
const STORAGE_KEY = 'mqttkit-dashboard:connections';

// aedes asks for this user name and password, so a connect shows whether the page sent them.
describe.skipIf(skipWithoutChromium())('dashboard saved connections in a real browser', () => {
  let dashboard: DashboardFixture;

  beforeAll(async () => {
    dashboard = await startDashboard({
      authenticate: (_client, username, password, done) => {
        const ok = username === USER && password?.toString() === SECRET;
        done(null, ok);
      },
    });
  }, 30_000);
  afterAll(async () => {
    await dashboard?.close();
  });

  it('keeps a connection across a reload, without its password unless the box is ticked', async () => {
    const { page, errors } = await dashboard.open(LAPTOP);
    await page.goto(dashboard.pageUrl());
    await page.fill('#broker-username', USER);
    await page.fill('#broker-password', SECRET);
    await page.click('#broker-form button[type="submit"]');
    await page.locator('#state[data-state="connected"]').waitFor();

    await page.fill('#save-name', 'no secret');
    await page.click('#save-form button[type="submit"]');
    await page.fill('#save-name', 'with secret');
    await page.check('#save-password');
    await page.click('#save-form button[type="submit"]');

    const stored = await page.evaluate((key) => localStorage.getItem(key) ?? '', STORAGE_KEY);
    const entries = JSON.parse(stored) as Array<Record<string, unknown>>;
    expect(entries.map((entry) => entry.name)).toEqual(['with secret', 'no secret']);
    expect(entries[0]).toMatchObject({ username: USER, password: SECRET });
    expect(entries[1]).toMatchObject({ username: USER, url: dashboard.broker.wsUrl });
    expect(entries[1]).not.toHaveProperty('password');

    // A reload starts from the query's URL without credentials: aedes refuses it.
    await page.reload();
    await page.locator('#saved-list li[data-name="no secret"]').waitFor();
    expect(await page.locator('#saved-list li').count()).toBe(2);
    expect(await page.textContent('#saved-list li[data-name="with secret"]')).toContain(
      'password stored',
    );

    // Without a stored password the fields are filled and the password is asked for.
    await page.click('#saved-list li[data-name="no secret"] button.open');
    expect(await page.inputValue('#broker-username')).toBe(USER);
    expect(await page.inputValue('#broker-password')).toBe('');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('broker-password');

    // With it, one click connects, and aedes accepted the credentials.
    await page.click('#saved-list li[data-name="with secret"] button.open');
    await page.locator('#state[data-state="connected"]').waitFor();
    await page.locator('#events li.ok', { hasText: 'connected to' }).waitFor();

    await page.click('#saved-list li[data-name="with secret"] button.forget');
    await page.reload();
    await page.locator('#saved-list li[data-name="no secret"]').waitFor();
    expect(await page.locator('#saved-list li').count()).toBe(1);
    expect(await page.evaluate((key) => localStorage.getItem(key), STORAGE_KEY)).not.toContain(
      SECRET,
    );
    expect(errors).toEqual([]);
  });
});
