// The YAML editor: create a workflow from the starter, see a problem at its line, fix
// and save a second version, then roll back to the first.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../server/console-auth/users.js';
import { browserSkipReason, launchBrowser, logIn, screenshotPath } from '../helpers/browser.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { startTestNode, type TestNode } from '../helpers/node.js';

const skip = browserSkipReason();
if (skip) console.warn(skip);

let tdb: TestDatabase;
let node: TestNode;

beforeAll(async () => {
  tdb = await createTestDatabase();
  node = await startTestNode({ databaseUrl: tdb.url, singletons: false });
  await createUser(tdb.db, { email: 'ed@example.com', name: 'Ed', password: 'editor-password', role: 'editor' });
});
afterAll(async () => {
  await node?.stop();
  await tdb?.drop();
});

const versionsOf = async (slug: string) =>
  (
    await tdb.pool.query<{ version: number; source_yaml: string }>(
      'select v.version, v.source_yaml from khaosflow.workflow_versions v join khaosflow.workflows w on w.id = v.workflow_id where w.slug = $1 order by v.version',
      [slug],
    )
  ).rows;

describe.skipIf(skip !== null)('workflow editor in Chromium', () => {
  it('creates, breaks, fixes, saves and rolls back a workflow', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(err.message));
      page.on('console', (msg) => {
        if (msg.type() === 'error' && !/status of (409|422)/.test(msg.text())) errors.push(msg.text());
      });
      await logIn(page, node.baseUrl, 'ed@example.com', 'editor-password');
      await page.getByRole('link', { name: 'New workflow' }).click();
      await page.getByRole('heading', { name: 'New workflow', level: 1 }).waitFor();
      const editor = page.getByLabel('Workflow YAML');
      const starter = await editor.inputValue();
      await editor.fill(starter.replace('My Workflow', 'Greeter'));
      await page.getByRole('button', { name: 'Create workflow' }).click();
      await page.waitForURL(/\/workflows\/greeter$/);
      await page.getByRole('region', { name: 'Workflow flow' }).waitFor();

      await page.getByRole('link', { name: 'Edit', exact: true }).click();
      await page.getByRole('heading', { name: 'Edit greeter' }).waitFor();
      const v1 = await editor.inputValue();
      await editor.fill(v1.replace('type: log', 'type: lgo'));
      await page.getByRole('button', { name: 'Validate' }).click();
      const problems = page.getByRole('list', { name: 'Problems' });
      await problems.waitFor();
      expect(await problems.innerText()).toMatch(/line 8, column \d+: .*lgo/);
      await page.getByRole('button', { name: 'Save new version' }).click();
      await page.getByRole('alert').waitFor();
      expect(await versionsOf('greeter')).toHaveLength(1);

      await editor.fill(`${v1}  - name: Wave\n    action: { type: log, message: bye }\n`);
      await page.getByRole('button', { name: 'Save new version' }).click();
      await page.getByRole('status').getByText('Saved as version 2.').waitFor();
      await page.screenshot({ path: screenshotPath('console-editor'), fullPage: true });
      await page.getByRole('button', { name: 'Roll back to this version' }).click();
      await page
        .getByRole('status')
        .getByText(/Rolled back: version 3/)
        .waitFor();
      const versions = await versionsOf('greeter');
      expect(versions.map((v) => v.version)).toEqual([1, 2, 3]);
      expect(versions[2]!.source_yaml).toBe(versions[0]!.source_yaml);

      page.once('dialog', (dialog) => {
        expect(dialog.message()).toContain('Its trigger stops at once');
        void dialog.accept();
      });
      await page.getByRole('button', { name: 'Delete this workflow' }).click();
      await page.waitForURL((url) => url.pathname === '/');
      await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
      expect(await page.getByRole('region', { name: 'Workflows' }).getByText('Greeter').count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
