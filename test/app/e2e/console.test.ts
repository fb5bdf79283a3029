import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../../server/console-auth/users.js';
import { browserSkipReason, launchBrowser, logIn, screenshotPath } from '../../helpers/browser.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.js';
import { applyYaml } from '../../triggers/helpers.js';
import { startTestNode, type TestNode } from '../../helpers/node.js';

const skip = browserSkipReason();
if (skip) console.warn(skip);

describe.skipIf(skip !== null)('console in Chromium', () => {
  let tdb: TestDatabase;
  let node: TestNode;
  beforeAll(async () => {
    tdb = await createTestDatabase();
    node = await startTestNode({ databaseUrl: tdb.url, worker: false, singletons: false });
    await createUser(tdb.db, { email: 'ops@example.com', name: 'Ops', password: 'console-test-pw', role: 'viewer' });
    // Through the store: a workflow row without a current version holds only test drafts and is not listed.
    await applyYaml(tdb.db, `name: Customer Onboarding\nsteps:\n  - name: Say\n    action: { type: log, message: hi }\n`);
    await applyYaml(tdb.db, `name: Daily Database Backup\nsteps:\n  - name: Say\n    action: { type: log, message: hi }\n`, {
      enabled: false,
    });
  });
  afterAll(async () => {
    await node?.stop();
    await tdb?.drop();
  });

  it('shows the workflows list and navigates to runs without errors', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      const errors: string[] = [];
      page.on('console', (msg) => {
        if (msg.type() === 'error') errors.push(msg.text());
      });
      page.on('pageerror', (err) => errors.push(err.message));
      await logIn(page, node.baseUrl, 'ops@example.com', 'console-test-pw');
      // waitFor resolves on the DOM event, so hydration timing cannot make this flaky.
      await page.getByRole('heading', { name: 'Workflows' }).waitFor({ state: 'visible' });
      const rows = page.getByRole('region', { name: 'Workflows' }).locator('tbody tr');
      expect(await rows.count()).toBe(2);
      expect(await rows.nth(0).innerText()).toMatch(/Customer Onboarding\s+customer-onboarding\s+1\s+Enabled\s+Never/);
      expect(await rows.nth(1).innerText()).toContain('Disabled');
      await page.screenshot({ path: screenshotPath('console-workflows'), fullPage: true });
      await page.getByRole('link', { name: 'Runs' }).click();
      await page.waitForURL(/\/runs$/);
      // The URL can change before the runs route has rendered; wait for its heading.
      await page.getByRole('heading', { name: 'Runs' }).waitFor({ state: 'visible' });
      expect(page.url()).toMatch(/\/runs$/);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
