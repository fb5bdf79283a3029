// The Import page: an editor uploads one of the real Zapier exports, reads the
// migration report per step, and stores the workflows (disabled until reviewed).
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../../server/console-auth/users.js';
import { browserSkipReason, launchBrowser, logIn, screenshotPath } from '../../helpers/browser.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.js';
import { startTestNode, type TestNode } from '../../helpers/node.js';

const skip = browserSkipReason();
if (skip) console.warn(skip);

let tdb: TestDatabase;
let node: TestNode;
const exportFile = fileURLToPath(new URL('../../importers/fixtures/product-design-meeting-bot.json', import.meta.url));

beforeAll(async () => {
  tdb = await createTestDatabase();
  node = await startTestNode({ databaseUrl: tdb.url, singletons: false });
  await createUser(tdb.db, { email: 'ed@example.com', name: 'Ed', password: 'editor-password', role: 'editor' });
});
afterAll(async () => {
  await node?.stop();
  await tdb?.drop();
});

describe.skipIf(skip !== null)('import page in Chromium', () => {
  it('converts an uploaded Zapier export, shows the report and stores the workflows disabled', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(err.message));
      page.on('console', (msg) => {
        if (msg.type() === 'error') errors.push(msg.text());
      });
      await logIn(page, node.baseUrl, 'ed@example.com', 'editor-password');
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Import' }).click();
      await page.getByLabel('Export file').setInputFiles(exportFile);
      await page.getByRole('button', { name: 'Convert' }).click();
      const report = page.getByRole('region', { name: 'Migration report' });
      await report.waitFor();
      expect(await report.innerText()).toMatch(/\d+ zap\(s\), \d+ steps: \d+ converted/);
      const { rows: before } = await tdb.pool.query('select count(*)::int as n from khaosflow.workflows');
      expect(before[0].n).toBe(0);
      await page.screenshot({ path: screenshotPath('console-import'), fullPage: true });

      await page.getByRole('button', { name: 'Store these workflows (disabled)' }).click();
      await page
        .getByRole('status')
        .getByText(/Stored \d+ workflow\(s\), disabled/)
        .waitFor();
      const { rows } = await tdb.pool.query<{ enabled: boolean }>('select enabled from khaosflow.workflows');
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((r) => !r.enabled)).toBe(true);
      // The stored workflow opens on its page, drawn in the flow builder beside its YAML.
      await page.getByRole('link', { name: 'Open the stored workflow' }).first().click();
      await page.getByRole('region', { name: 'Flow builder' }).waitFor();
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
