// The visual flow builder in Chromium: the spec's "Customer Onboarding" workflow built
// from an empty canvas by drag and drop and forms only, saved, and the stored YAML equal
// to the example's definition; a YAML edit redraws the canvas, a broken YAML keeps the
// last drawing; a condition with two branches inserted by dragging. Screenshots of the
// builder with each of the spec's three example workflows open. A test run of the built
// workflow draws each node's status; side panel fields complete `{{ }}` like the YAML
// editor; the trigger's panel picks any trigger type, webhook senders with their hints.
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { closeSmtpTransports } from '../../../server/actions/email/index.js';
import { saveConnection } from '../../../server/connections/store.js';
import { createUser } from '../../../server/console-auth/users.js';
import { parseWorkflow } from '../../../server/workflow/parse-workflow.js';
import type { WorkflowDefinition } from '../../../server/workflow/types.js';
import {
  browserSkipReason,
  editorText,
  launchBrowser,
  logIn,
  replaceEditorText,
  screenshotPath,
  waitForHydration,
} from '../../helpers/browser.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.js';
import { startTestNode, type TestNode } from '../../helpers/node.js';
import { startSmtpServer, type TestSmtpServer } from '../../helpers/servers/smtp.js';
import { json, startHttpServer, type TestHttpServer } from '../../actions/http/http-server.js';
import { applyYaml } from '../../triggers/helpers.js';

const skip = browserSkipReason();
if (skip) console.warn(skip);

let tdb: TestDatabase;
let node: TestNode;
let smtp: TestSmtpServer;
let khaosbase: TestHttpServer;
const savedVar = process.env.KHAOSFLOW_VAR_KHAOSBASE_URL;

const example = (name: string) => readFileSync(`examples/workflows/${name}.yaml`, 'utf8');

function definitionOf(text: string): WorkflowDefinition {
  const parsed = parseWorkflow(text, { file: 'workflow.yaml' });
  if (!parsed.ok) expect.fail(parsed.problems.map((p) => `${p.line}:${p.col} ${p.path}: ${p.message}`).join('\n'));
  return parsed.workflow;
}

beforeAll(async () => {
  // The workflow built below runs for real: its database, mail server and sales API are local.
  [smtp, khaosbase] = await Promise.all([startSmtpServer(), startHttpServer()]);
  khaosbase.route('POST', '/api/tasks', (req, res) => json(res, 201, { id: 'task-1', ...JSON.parse(req.body.toString()) }));
  process.env.KHAOSFLOW_VAR_KHAOSBASE_URL = khaosbase.url;
  tdb = await createTestDatabase();
  await tdb.pool.query('create table customers (id serial primary key, name text, email text, account_manager text)');
  node = await startTestNode({ databaseUrl: tdb.url, singletons: false });
  await saveConnection(node.services.db, node.services.vault.secrets, {
    name: 'default',
    url: `${smtp.url}?from=welcome%40khaosflow.example`,
  });
  node.services.vault.connections.invalidate();
  await createUser(tdb.db, { email: 'bo@example.com', name: 'Bo', password: 'builder-password', role: 'editor' });
  await node.services.emailTemplates.set({ name: 'welcome', subject: 'Welcome, {{name}}', html: null, text: 'Hello {{name}}' });
  await applyYaml(tdb.db, example('daily-backup'), { enabled: false });
  await applyYaml(tdb.db, example('order-processing'), { enabled: false });
});
afterAll(async () => {
  if (savedVar === undefined) delete process.env.KHAOSFLOW_VAR_KHAOSBASE_URL;
  else process.env.KHAOSFLOW_VAR_KHAOSBASE_URL = savedVar;
  closeSmtpTransports();
  await Promise.all([smtp?.close(), khaosbase?.close()]);
  await node?.stop();
  await tdb?.drop();
});

const canvasOf = (page: Page) => page.locator('[data-builder-canvas]');
const nodeAt = (page: Page, id: string) => canvasOf(page).locator(`.react-flow__node[data-id="${id}"]`);
const edgeAt = (page: Page, id: string) => canvasOf(page).locator(`.react-flow__edge[data-id="${id}"] path.react-flow__edge-path`);
const paletteItem = (page: Page, id: string) => page.locator(`[data-palette-item="${id}"]`);
const panelField = (page: Page, name: string) => page.locator(`aside [data-field="${name}"]`).locator('input, select, textarea');

/** HTML5 drag and drop from a palette item (or node) onto a node or edge of the canvas. */
async function drag(from: Locator, onto: Locator): Promise<void> {
  await onto.waitFor({ state: 'attached' });
  await from.dragTo(onto, { force: true });
}

async function stepName(page: Page, name: string): Promise<void> {
  const field = page.getByLabel('Step name');
  await field.fill(name);
  await field.press('Enter');
}

const yamlText = (page: Page) => editorText(page);

/** With UPDATE_SCREENSHOTS=1, copies a screenshot from test-results/ to docs/screenshots/ (the README links them). */
function keepScreenshot(name: string): void {
  if (process.env.UPDATE_SCREENSHOTS !== '1') return;
  mkdirSync('docs/screenshots', { recursive: true });
  copyFileSync(screenshotPath(name), `docs/screenshots/${name}.png`);
}

/** The values a select offers, in order. */
async function optionValues(select: Locator): Promise<(string | null)[]> {
  return Promise.all((await select.locator('option').all()).map((option) => option.getAttribute('value')));
}

/**
 * Opens `path` logged in as the builder user in a fresh browser at 1440 px, hands the page
 * to `use`, then checks the page threw nothing meanwhile.
 */
async function withBuilderPage(path: string, use: (page: Page) => Promise<void>): Promise<void> {
  const browser = await launchBrowser();
  try {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1440, height: 1000 });
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await logIn(page, node.baseUrl, 'bo@example.com', 'builder-password');
    await page.goto(`${node.baseUrl}${path}`);
    await waitForHydration(page);
    await use(page);
    expect(errors).toEqual([]);
  } finally {
    await browser.close();
  }
}

describe.skipIf(skip !== null)('flow builder in Chromium', () => {
  it('builds Customer Onboarding by drag and drop and forms, saves it, follows YAML edits and inserts a condition', async () => {
    await withBuilderPage('/workflows/new', async (page) => {
      await paletteItem(page, 'trigger:webhook').waitFor();
      await page.getByRole('button', { name: 'Start from an empty canvas' }).click();
      await nodeAt(page, 'slot:trigger').waitFor();
      const name = page.getByLabel('Workflow name');
      await name.fill('Customer Onboarding');
      await name.blur();
      await vi.waitFor(async () => expect(await yamlText(page)).toContain('name: Customer Onboarding'), { timeout: 5000, interval: 50 });

      // The trigger: dropped on its slot, then its path set in the form.
      await drag(paletteItem(page, 'trigger:webhook'), nodeAt(page, 'slot:trigger'));
      await nodeAt(page, 'trigger').waitFor();
      await nodeAt(page, 'trigger').click();
      await panelField(page, 'path').fill('/customers/new');

      // The three steps, each dropped at the end of the flow and filled in.
      await drag(paletteItem(page, 'action:database_insert'), nodeAt(page, 'slot:steps'));
      await nodeAt(page, 'steps[0]').waitFor();
      await stepName(page, 'Create Customer Record');
      await panelField(page, 'table').fill('customers');
      await panelField(page, 'data').fill('{{trigger.data}}');
      await panelField(page, 'data').blur();

      await drag(paletteItem(page, 'action:send_email'), nodeAt(page, 'slot:steps'));
      await nodeAt(page, 'steps[1]').waitFor();
      await stepName(page, 'Send Welcome Email');
      await panelField(page, 'to').fill('{{trigger.data.email}}');
      await panelField(page, 'template').selectOption('welcome');

      await drag(paletteItem(page, 'action:http_request'), nodeAt(page, 'slot:steps'));
      await nodeAt(page, 'steps[2]').waitFor();
      await stepName(page, 'Create Task for Sales');
      await panelField(page, 'url').fill('{{khaosbase_url}}/api/tasks');
      await panelField(page, 'method').selectOption('POST');
      await panelField(page, 'body').fill('title: Onboard {{trigger.data.name}}\nassigned_to: "{{trigger.data.account_manager}}"');
      await panelField(page, 'body').blur();

      const expected = definitionOf(example('customer-onboarding'));
      await vi.waitFor(async () => expect(definitionOf(await yamlText(page))).toEqual(expected), { timeout: 5000, interval: 100 });
      await page.getByText('The workflow is valid.').waitFor();
      await page.screenshot({ path: screenshotPath('builder-built-customer-onboarding') });

      await page.getByRole('button', { name: 'Create workflow' }).click();
      await page.waitForURL(/\/workflows\/customer-onboarding$/);
      const stored = await tdb.pool.query<{ source_yaml: string }>(
        "select v.source_yaml from khaosflow.workflow_versions v join khaosflow.workflows w on w.id = v.workflow_id where w.slug = 'customer-onboarding'",
      );
      expect(stored.rows).toHaveLength(1);
      expect(definitionOf(stored.rows[0]!.source_yaml)).toEqual(expected);

      // A test run from the page's test panel against the local servers (Postgres table, SMTP
      // server, sales API): every step node of the builder shows it succeeded, with its time.
      await waitForHydration(page);
      await nodeAt(page, 'steps[2]').waitFor();
      await page.locator('#sample-data').fill(JSON.stringify({ name: 'Ada Lovelace', email: 'ada@example.com', account_manager: 'Grace' }));
      await page.getByRole('button', { name: 'Run test' }).click();
      await page.getByRole('status', { name: 'Test run status' }).getByText('succeeded').waitFor({ timeout: 30_000 });
      const stepNodes = ['steps[0]', 'steps[1]', 'steps[2]'];
      await vi.waitFor(
        async () => {
          for (const id of stepNodes)
            expect(await nodeAt(page, id).locator('[data-status]').getAttribute('data-status'), id).toBe('succeeded');
        },
        { timeout: 10_000, interval: 100 },
      );
      for (const id of stepNodes) expect(await nodeAt(page, id).innerText()).toMatch(/succeeded · [\d.]+ (ms|s)/);
      // The trigger is no step: sample data stands in for it, so it shows no status.
      expect(await nodeAt(page, 'trigger').locator('[data-status]').getAttribute('data-status')).toBe('');
      expect((await tdb.pool.query('select name, email from customers')).rows).toEqual([
        { name: 'Ada Lovelace', email: 'ada@example.com' },
      ]);
      expect((await smtp.waitForMessages(1))[0]!.to).toMatchObject({ text: 'ada@example.com' });
      expect(khaosbase.to('/api/tasks')).toHaveLength(1);
      await page.locator('section[aria-label="Flow builder"]').screenshot({ path: screenshotPath('builder-test-run') });
      keepScreenshot('builder-test-run');

      // A run of the built workflow against the local servers: every node of its canvas succeeds.
      const hook = await fetch(`${node.baseUrl}/hooks/customers/new`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Ada Lovelace', email: 'ada@example.com', account_manager: 'Grace' }),
      });
      expect(hook.status).toBe(202);
      const { run_id } = (await hook.json()) as { run_id: string };
      await vi.waitFor(
        async () => {
          const run = await tdb.pool.query<{ status: string }>('select status from khaosflow.runs where id = $1', [run_id]);
          expect(run.rows[0]?.status).toBe('succeeded');
        },
        { timeout: 15_000, interval: 100 },
      );
      await smtp.waitForMessages(2);
      await page.goto(`${node.baseUrl}/workflows/customer-onboarding`);
      await waitForHydration(page);
      const drawn = page.getByRole('region', { name: 'Workflow flow' });
      await drawn.locator('.react-flow__node').nth(3).waitFor();
      const statuses = await Promise.all(
        (await drawn.locator('.react-flow__node [data-status]').all()).map((n) => n.getAttribute('data-status')),
      );
      expect(statuses).toEqual(['', 'succeeded', 'succeeded', 'succeeded']);
      await page.screenshot({ path: screenshotPath('builder-customer-onboarding-run') });

      // A YAML edit redraws the canvas; a broken YAML keeps the last drawing with the error.
      await page.goto(`${node.baseUrl}/workflows/customer-onboarding/edit`);
      await waitForHydration(page);
      await nodeAt(page, 'steps[1]').waitFor();
      await page.getByLabel('Workflow YAML').waitFor();
      const saved = await editorText(page);
      await replaceEditorText(page, saved.replace('name: Send Welcome Email', 'name: Send Hello Email'));
      await vi.waitFor(async () => expect(await nodeAt(page, 'steps[1]').innerText()).toContain('Send Hello Email'), {
        timeout: 5000,
        interval: 50,
      });
      await replaceEditorText(page, `${saved}  - broken: [\n`);
      await page.locator('[data-yaml-error]').waitFor();
      expect(await nodeAt(page, 'steps[1]').innerText()).toContain('Send Hello Email');
      await replaceEditorText(page, saved);
      await page.locator('[data-yaml-error]').waitFor({ state: 'detached' });

      // A condition dragged onto the line between the first two steps, then a step into each branch.
      await drag(paletteItem(page, 'logic:condition'), edgeAt(page, 'steps[0]->steps[1]'));
      await nodeAt(page, 'steps[1]').filter({ hasText: 'Condition' }).waitFor();
      await drag(paletteItem(page, 'action:log'), nodeAt(page, 'slot:steps[1].condition.then'));
      await nodeAt(page, 'steps[1].condition.then[0]').waitFor();
      await drag(paletteItem(page, 'action:log'), nodeAt(page, 'slot:steps[1].condition.else'));
      await nodeAt(page, 'steps[1].condition.else[0]').waitFor();
      await panelField(page, 'message').fill('no account manager');
      const branched = definitionOf(await yamlText(page));
      expect(branched.steps.map((s) => s.name)).toEqual([
        'Create Customer Record',
        'Condition',
        'Send Welcome Email',
        'Create Task for Sales',
      ]);
      const condition = branched.steps[1]!;
      expect(condition.kind === 'condition' && [condition.then.length, condition.else.length]).toEqual([1, 1]);
      expect(await canvasOf(page).locator('.react-flow__edge-text').allTextContents()).toEqual(expect.arrayContaining(['then', 'else']));
      await page.screenshot({ path: screenshotPath('builder-condition-inserted') });

      // The builder with each of the spec's three example workflows open, on a wide screen
      // (beside the test panel the canvas gets what the palette and side panel leave).
      await page.setViewportSize({ width: 1920, height: 1100 });
      for (const [slug, file] of [
        ['customer-onboarding', 'builder-customer-onboarding'],
        ['daily-database-backup', 'builder-daily-backup'],
        ['e-commerce-order-processing', 'builder-order-processing'],
      ] as const) {
        await page.goto(`${node.baseUrl}/workflows/${slug}/edit`);
        await waitForHydration(page);
        await nodeAt(page, 'trigger').waitFor();
        await page.locator('[data-palette-item]').first().waitFor();
        await page.locator('section[aria-label="Flow builder"]').screenshot({ path: screenshotPath(file) });
        keepScreenshot(file);
      }
    });
  }, 120_000);

  it('shows validator messages on their field, duplicates, deletes and moves steps by dragging', async () => {
    await applyYaml(
      tdb.db,
      'name: Tidy Up\ntrigger: { type: manual }\nsteps:\n  - name: First\n    action: { type: log, message: one }\n  - name: Second\n    action: { type: log, message: two }\n  - name: Third\n    action: { type: log, message: three }\n',
      { enabled: false },
    );
    await withBuilderPage('/workflows/tidy-up/edit', async (page) => {
      await nodeAt(page, 'steps[2]').waitFor();

      // Plugin action types are in the palette, in their own group.
      await page.getByRole('region', { name: 'Plugin actions' }).locator('[data-palette-item="action:test_ledger"]').waitFor();

      // An emptied required param: the validator's message under the field, a badge on the node.
      await nodeAt(page, 'steps[1]').click();
      await panelField(page, 'message').fill('');
      await page.locator('aside [data-field="message"] [role="alert"]').waitFor();
      await nodeAt(page, 'steps[1]').getByTitle('Problems found by the validator').waitFor();
      await panelField(page, 'message').fill('two again');
      await page.getByText('The workflow is valid.').waitFor();

      await page.getByRole('button', { name: 'Duplicate' }).click();
      await nodeAt(page, 'steps[2]').filter({ hasText: 'Second copy' }).waitFor();
      await page.getByRole('button', { name: 'Delete step' }).click();
      await vi.waitFor(async () => expect(await yamlText(page)).not.toContain('Second copy'), { timeout: 5000, interval: 50 });

      // Third dragged onto the trigger: it becomes the first step.
      await nodeAt(page, 'steps[2]').dragTo(nodeAt(page, 'trigger'));
      await vi.waitFor(
        async () => expect(definitionOf(await yamlText(page)).steps.map((s) => s.name)).toEqual(['Third', 'First', 'Second']),
        {
          timeout: 5000,
          interval: 50,
        },
      );
      expect(await nodeAt(page, 'steps[0]').innerText()).toContain('Third');
    });
  }, 60_000);

  it('completes {{ }} in a side panel field like the YAML editor, and picks any trigger type with its form and sender hints', async () => {
    await node.services.vault.secrets.set('github_hook_secret', 'It is a Secret to Everybody');
    await node.services.variables.set('crm_url', 'http://crm.example');
    await applyYaml(
      tdb.db,
      'name: Panel Check\ntrigger: { type: manual }\nsteps:\n  - name: Fetch Lead\n    action: { type: log, message: one }\n  - name: Greet Lead\n    action: { type: log, message: two }\n',
      { enabled: false },
    );
    await withBuilderPage('/workflows/panel-check/edit', async (page) => {
      await nodeAt(page, 'steps[1]').waitFor();
      await page.locator('[data-palette-item]').first().waitFor();

      // `{{ steps.` in the second step's message offers the step above; picking it fills the slug.
      await nodeAt(page, 'steps[1]').click();
      const message = panelField(page, 'message');
      await message.fill('');
      await message.pressSequentially('Hi {{ steps.');
      const completions = page.getByRole('listbox', { name: 'Expression completions' });
      await completions.getByRole('option', { name: /fetch_lead/ }).click();
      expect(await message.inputValue()).toBe('Hi {{ steps.fetch_lead');
      await message.pressSequentially('.');
      await completions.getByRole('option', { name: /result/ }).waitFor();
      await message.press('Enter');
      await message.pressSequentially(' }} from {{ vars.');
      await completions.getByRole('option', { name: /crm_url/ }).waitFor();
      await message.press('Tab');
      await message.pressSequentially(' }}');
      await vi.waitFor(
        async () => {
          const step = definitionOf(await yamlText(page)).steps[1]!;
          expect(step.kind === 'action' && step.action.message).toBe('Hi {{ steps.fetch_lead.result }} from {{ vars.crm_url }}');
        },
        { timeout: 5000, interval: 50 },
      );
      await page.screenshot({ path: screenshotPath('builder-expression-completion') });

      // The trigger's panel picks any trigger type; each comes with its own form from the schema.
      await nodeAt(page, 'trigger').click();
      const triggerType = page.getByLabel('Trigger type');
      const offered = await optionValues(triggerType);
      expect(offered).toEqual(['webhook', 'schedule', 'manual', 'database', 'file_watcher', 'email']);
      await triggerType.selectOption('schedule');
      await panelField(page, 'cron').waitFor();
      await triggerType.selectOption('webhook');
      await panelField(page, 'path').fill('/leads');
      // Webhook authentication: each sender type of the schema, with where to find its secret.
      const authentication = page.locator('aside [data-field="authentication"]');
      const types = await optionValues(authentication.locator('select').first());
      expect(types).toEqual(['', 'none', 'api_key', 'hmac', 'github', 'stripe', 'shopify', 'slack', 'standard_webhooks']);
      await authentication.locator('select').first().selectOption('stripe');
      await authentication.locator('[data-hint]').filter({ hasText: 'Signing secret, whsec_' }).waitFor();
      await authentication.locator('select').first().selectOption('github');
      await authentication.locator('[data-hint]').filter({ hasText: 'Settings > Webhooks' }).waitFor();
      await authentication.locator('[data-field="secret"] select').selectOption('github_hook_secret');
      await vi.waitFor(
        async () =>
          expect(definitionOf(await yamlText(page)).trigger).toMatchObject({
            type: 'webhook',
            path: '/leads',
            authentication: { type: 'github', secret: 'github_hook_secret' },
          }),
        { timeout: 5000, interval: 50 },
      );
      await page.getByText('The workflow is valid.').waitFor();
      await page.screenshot({ path: screenshotPath('builder-trigger-sender') });
    });
  }, 60_000);
});
