// A workflow's page: the manual trigger's run button as the spec writes it (label,
// confirmation, typed parameters checked per field), trying any other workflow with
// JSON trigger data, enabling and disabling, and its recent runs and YAML; a viewer sees
// it all read only, and the old /edit address leads to it.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { getRun } from '../../../db/queries/runs.js';
import { setTriggerProblem } from '../../../db/queries/trigger-problems.js';
import { createUser } from '../../../server/console-auth/users.js';
import { browserSkipReason, editorText, launchBrowser, logIn, screenshotPath, waitForHydration } from '../../helpers/browser.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.js';
import { startTestNode, type TestNode } from '../../helpers/node.js';
import { applyYaml, BACKUP_WORKFLOW } from '../../triggers/helpers.js';

const skip = browserSkipReason();
if (skip) console.warn(skip);

let tdb: TestDatabase;
let node: TestNode;

async function waitForSuccess(id: string) {
  await vi.waitFor(
    async () => {
      const run = await getRun(tdb.db, id);
      if (run?.status !== 'succeeded') throw new Error(`run ${id} is ${run?.status}`);
    },
    { timeout: 20_000, interval: 50 },
  );
  return (await getRun(tdb.db, id))!;
}

const runCount = async (slug: string) =>
  (
    await tdb.pool.query(
      'select count(*)::int as n from khaosflow.runs r join khaosflow.workflows w on w.id = r.workflow_id where w.slug = $1',
      [slug],
    )
  ).rows[0].n as number;

beforeAll(async () => {
  tdb = await createTestDatabase();
  node = await startTestNode({ databaseUrl: tdb.url, singletons: false });
  await createUser(tdb.db, { email: 'ed@example.com', name: 'Ed', password: 'editor-password', role: 'editor' });
  await createUser(tdb.db, { email: 'vi@example.com', name: 'Vi', password: 'viewer-password', role: 'viewer' });
  await applyYaml(
    tdb.db,
    `${BACKUP_WORKFLOW}steps:
  - name: Say
    action: { type: log, message: "backing up {{trigger.data.environment}} x{{trigger.data.copies}}" }
`,
  );
  await applyYaml(
    tdb.db,
    `
name: Order Hook
trigger: { type: webhook, path: /orders/new }
steps:
  - name: Echo
    action: { type: log, message: "order {{trigger.data.id}}" }
`,
  );
});
afterAll(async () => {
  await node?.stop();
  await tdb?.drop();
});

describe.skipIf(skip !== null)('workflow page in Chromium', () => {
  it('runs a manual workflow with its button, confirmation and checked parameters', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(err.message));
      page.on('console', (msg) => {
        if (msg.type() === 'error' && !/status of 422/.test(msg.text())) errors.push(msg.text());
      });
      const questions: string[] = [];
      let answer = false;
      page.on('dialog', (dialog) => {
        questions.push(dialog.message());
        void (answer ? dialog.accept() : dialog.dismiss());
      });
      await logIn(page, node.baseUrl, 'ed@example.com', 'editor-password');
      await page.getByRole('link', { name: 'Backup' }).click();
      await page.getByRole('heading', { name: 'Backup' }).waitFor();
      expect(await page.locator('main').innerText()).toContain('Copies the database somewhere safe');
      expect(await editorText(page)).toContain('button_label: Run Backup');

      // Saying no to the confirmation starts nothing.
      await page.getByRole('button', { name: 'Run Backup' }).click();
      await vi.waitFor(() => expect(questions).toEqual(['Back up now?']));
      expect(await runCount('backup')).toBe(0);

      answer = true;
      await page.getByRole('button', { name: 'Run Backup' }).click();
      await page.getByText('environment is required').waitFor();
      expect(await runCount('backup')).toBe(0);
      await page.screenshot({ path: screenshotPath('console-workflow-parameters'), fullPage: true });

      await page.getByLabel('environment *').selectOption('prod');
      await page.getByLabel('copies').fill('3');
      await page.getByRole('button', { name: 'Run Backup' }).click();
      await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
      const run = await waitForSuccess(new URL(page.url()).pathname.split('/')[2]!);
      expect(run.trigger).toEqual({ data: { environment: 'prod', copies: 3 }, started_by: 'user:ed@example.com' });
      expect(run.steps[0]!.output).toMatchObject({ message: 'backing up prod x3' });
      expect(questions).toEqual(['Back up now?', 'Back up now?', 'Back up now?']);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('tries another workflow with JSON trigger data, and disables it', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      const { id } = await tdb.db.selectFrom('khaosflow.workflows').select('id').where('slug', '=', 'order-hook').executeTakeFirstOrThrow();
      await setTriggerProblem(tdb.db, id, 'webhook', 'Example problem: the mailbox refused the login.');
      await logIn(page, node.baseUrl, 'ed@example.com', 'editor-password');
      const row = page.locator('tbody tr', { hasText: 'Order Hook' });
      expect(await row.getByText('Trigger problem').getAttribute('title')).toBe('Example problem: the mailbox refused the login.');
      expect(await page.locator('tbody tr', { hasText: 'Backup' }).getByText('Trigger problem').count()).toBe(0);
      await page.goto(`${node.baseUrl}/workflows/order-hook`);
      await waitForHydration(page);
      await page.getByRole('heading', { name: 'Order Hook' }).waitFor();
      expect(await page.getByRole('alert').innerText()).toContain('Not listening since');
      await setTriggerProblem(tdb.db, id, 'webhook', null);
      await page.reload();
      await waitForHydration(page);
      await page.getByRole('heading', { name: 'Order Hook' }).waitFor();
      expect(await page.getByRole('alert').count()).toBe(0);
      await page.getByLabel('Trigger data (JSON, optional)').fill('{"id": 41,');
      await page.getByRole('button', { name: 'Run now' }).click();
      await page.getByText('Trigger data is not valid JSON').waitFor();
      expect(await runCount('order-hook')).toBe(0);

      await page.getByLabel('Trigger data (JSON, optional)').fill('{"id": 42}');
      await page.getByRole('button', { name: 'Run now' }).click();
      await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
      const run = await waitForSuccess(new URL(page.url()).pathname.split('/')[2]!);
      expect(run.steps[0]!.output).toMatchObject({ message: 'order 42' });

      await page.goto(`${node.baseUrl}/workflows/order-hook`);

      await waitForHydration(page);
      await page.getByRole('button', { name: 'Disable' }).click();
      await page.getByRole('button', { name: 'Enable' }).waitFor();
      expect(await page.getByText('Enable the workflow to start runs.').isVisible()).toBe(true);
      const { rows } = await tdb.pool.query("select enabled from khaosflow.workflows where slug = 'order-hook'");
      expect(rows).toEqual([{ enabled: false }]);
      // The recent runs list links to the run just made.
      expect(await page.getByRole('link', { name: run.id.slice(0, 8) }).count()).toBe(1);
      await page.getByRole('link', { name: 'All runs' }).click();
      await page.waitForURL(/\/runs\?workflow=order-hook$/);
      await page.locator('tbody tr').first().waitFor();
      expect(await page.locator('tbody tr').count()).toBe(1);
      // The history page's filters are URL parameters (test/app/e2e/console-connections.test.ts drives its form).
      await page.goto(`${node.baseUrl}/runs?workflow=order-hook&status=failed`);
      await waitForHydration(page);
      await page.getByText('No runs match these filters.').waitFor();
      await page.screenshot({ path: screenshotPath('console-workflow-disabled'), fullPage: true });
    } finally {
      await browser.close();
    }
  });

  it('shows a viewer the page read only, at phone width too, and sends old /edit links to it', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(err.message));
      await page.setViewportSize({ width: 390, height: 844 });
      await logIn(page, node.baseUrl, 'vi@example.com', 'viewer-password');
      await page.goto(`${node.baseUrl}/workflows/backup/edit`);
      await waitForHydration(page);
      expect(new URL(page.url()).pathname).toBe('/workflows/backup');
      await page.getByRole('heading', { name: 'Backup', level: 1 }).waitFor();
      await page.getByText('read only: your role cannot change workflows').waitFor();
      const yaml = page.getByLabel('Workflow YAML');
      await yaml.waitFor();
      expect(await yaml.getAttribute('contenteditable')).toBe('false');
      expect(await page.locator('.cm-content').innerText()).toContain('name: Backup');
      await page.getByRole('region', { name: 'Versions' }).getByRole('listitem', { name: 'Version 1' }).waitFor();
      for (const name of ['Save new version', 'Delete this workflow', 'Run test', 'Disable', 'Run Backup'])
        expect(await page.getByRole('button', { name }).count(), name).toBe(0);
      await page.getByRole('region', { name: 'Workflow flow' }).locator('.react-flow__node').first().waitFor();
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      await page.screenshot({ path: screenshotPath('console-workflow-viewer-phone'), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
