// Every console page, as an owner sees it with data in it, at 1280 px and at phone
// width (390 px): its heading shows, nothing is wider than the window (no sideways
// scrolling), and no page logs a console error. The 1280 px pictures are the README's
// console tour: written to test-results/ on every run, and to docs/screenshots/ with
// UPDATE_SCREENSHOTS=1.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { getRun } from '../../../db/queries/runs.js';
import { createApiKey } from '../../../server/api-keys/store.js';
import { saveConnection } from '../../../server/connections/store.js';
import { createUser } from '../../../server/console-auth/users.js';
import { triggerRun } from '../../../server/queue/enqueue-run.js';
import { browserSkipReason, launchBrowser, logIn, screenshotPath, waitForHydration } from '../../helpers/browser.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.js';
import { startTestNode, type TestNode } from '../../helpers/node.js';
import { applyYaml, tempDir } from '../../triggers/helpers.js';

const skip = browserSkipReason();
if (skip) console.warn(skip);

let tdb: TestDatabase;
let node: TestNode;
let failedRun: string;

async function finished(id: string): Promise<void> {
  await vi.waitFor(
    async () => {
      const run = await getRun(tdb.db, id);
      if (run?.status !== 'succeeded' && run?.status !== 'failed') throw new Error(`run is ${run?.status}`);
    },
    { timeout: 30_000, interval: 50 },
  );
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  node = await startTestNode({ databaseUrl: tdb.url, singletons: false, env: { KHAOSFLOW_HOME: tempDir('kf-tour-') } });
  await createUser(tdb.db, { email: 'owner@example.com', name: 'Olga Owner', password: 'owner-password', role: 'owner' });
  await createUser(tdb.db, { email: 'ed@example.com', name: 'Ed Editor', password: 'editor-password', role: 'editor' });
  await createUser(tdb.db, { email: 'vi@example.com', name: 'Vi Viewer', password: 'viewer-password', role: 'viewer' });
  await applyYaml(
    tdb.db,
    `name: Sync Orders
trigger: { type: webhook, path: /orders }
steps:
  - name: Check Stock
    action: { type: transform, operation: map, input: "{{ trigger.data.items }}", transform: "{{ $error('stock API said no') }}" }
`,
  );
  await applyYaml(tdb.db, 'name: Say Hello\ntrigger: { type: manual }\nsteps: [{ name: Say, action: { type: log, message: hello } }]\n');
  for (let i = 0; i < 4; i++) await finished(await triggerRun(tdb.pool, 'say-hello', 'manual', { data: { customer: `acme-${i}` } }));
  failedRun = await triggerRun(tdb.pool, 'sync-orders', 'webhook', { data: { items: [1, 2] } });
  await finished(failedRun);
  await node.services.vault.secrets.set('stripe_key', 'sk_tour_never_shown');
  await saveConnection(tdb.db, node.services.vault.secrets, { name: 'warehouse', url: 'postgres://reporter:pw@db.internal:5432/shop' });
  await tdb.pool.query(`insert into khaosflow.variables (name, value) values ('order_limit', '{"max": 500}'), ('region', '"eu-west"')`);
  await tdb.pool.query(
    `insert into khaosflow.email_templates (name, subject, html, text) values ('welcome', 'Welcome, {{name}}!', '<p>Hello {{name}}</p>', 'Hello {{name}}')`,
  );
  await createApiKey(tdb.db, { name: 'reporting', scopes: ['read'] });
  await createApiKey(tdb.db, { name: 'shop-webhooks', workflowSlug: 'sync-orders', scopes: ['webhook'] });
});
afterAll(async () => {
  await node?.stop();
  await tdb?.drop();
});

/** One of the real Zapier exports (a copy of ../shared/zapier-exports/). */
const ZAPIER_EXPORT = fileURLToPath(new URL('../../importers/fixtures/product-design-meeting-bot.json', import.meta.url));

/** Converts the export, so the picture and the width check include the migration report. */
async function convertExport(page: Page): Promise<void> {
  await page.getByLabel('Export file').setInputFiles(ZAPIER_EXPORT);
  await page.getByRole('button', { name: 'Convert' }).click();
  await page.getByRole('region', { name: 'Migration report' }).waitFor();
}

/** The pages, with the heading each shows, the README screenshot name and what to do there first. */
const PAGES: Array<{ path: () => string; heading: string; shot: string; act?: (page: Page) => Promise<void> }> = [
  { path: () => '/', heading: 'Dashboard', shot: 'tour-dashboard' },
  { path: () => '/workflows/say-hello', heading: 'Say Hello', shot: 'tour-workflow' },
  { path: () => '/runs', heading: 'Runs', shot: 'tour-runs' },
  { path: () => `/runs/${failedRun}`, heading: 'Sync Orders', shot: 'tour-run' },
  { path: () => '/secrets', heading: 'Secrets', shot: 'tour-secrets' },
  { path: () => '/connections', heading: 'Connections', shot: 'tour-connections' },
  { path: () => '/variables', heading: 'Variables', shot: 'tour-variables' },
  { path: () => '/templates', heading: 'Email templates', shot: 'tour-templates' },
  { path: () => '/keys', heading: 'API keys', shot: 'tour-keys' },
  { path: () => '/import', heading: 'Import from Zapier', shot: 'tour-import', act: convertExport },
  { path: () => '/api-docs', heading: 'API docs', shot: 'tour-api-docs' },
  { path: () => '/users', heading: 'Users', shot: 'tour-users' },
  { path: () => '/account', heading: 'Your account', shot: 'tour-account' },
];

/** Into test-results/; with `docs`, also the README's copy (phone pictures stay out but the dashboard's). */
async function shoot(page: Page, name: string, docs: boolean): Promise<void> {
  const file = screenshotPath(name);
  await page.screenshot({ path: file, fullPage: true });
  if (docs && process.env.UPDATE_SCREENSHOTS === '1') {
    fs.mkdirSync('docs/screenshots', { recursive: true });
    fs.copyFileSync(file, path.join('docs/screenshots', `${name}.png`));
  }
}

/** How far the page reaches past the viewport's right edge, in CSS pixels. */
const overflow = (page: Page, width: number) =>
  page.evaluate(
    (w) => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth - w,
    width,
  );

describe.skipIf(skip !== null)('console pages in Chromium', () => {
  it('shows every page at 1280 px and at 390 px without sideways scrolling or console errors', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      const errors: string[] = [];
      let at = '';
      page.on('pageerror', (err) => errors.push(`${at}: ${err.message}`));
      page.on('console', (msg) => {
        if (msg.type() === 'error') errors.push(`${at}: ${msg.text()}`);
      });
      await page.setViewportSize({ width: 1280, height: 900 });
      await logIn(page, node.baseUrl, 'owner@example.com', 'owner-password');
      const wide: string[] = [];
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
        for (const p of PAGES) {
          at = `${p.path()} at ${width} px`;
          await page.goto(`${node.baseUrl}${p.path()}`);
          await waitForHydration(page);
          await page.getByRole('heading', { name: p.heading, level: 1 }).waitFor();
          await p.act?.(page);
          if (p.path() === '/') await page.getByRole('img', { name: 'Runs over time by status' }).locator('canvas').first().waitFor();
          const beyond = await overflow(page, width);
          if (beyond > 1) wide.push(`${at}: ${beyond} px too wide`);
          await shoot(page, width === 1280 ? p.shot : `${p.shot}-phone`, width === 1280 || p.path() === '/');
        }
      }
      expect(wide).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 180_000);

  it('lets a viewer look at every page they may see and refuses them a change in the page', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(err.message));
      await logIn(page, node.baseUrl, 'vi@example.com', 'viewer-password');
      await page.goto(`${node.baseUrl}/secrets`);
      await waitForHydration(page);
      await page.getByRole('cell', { name: 'stripe_key', exact: true }).waitFor();
      // Viewers get no form to change secrets: the page offers nothing it would refuse.
      expect(await page.getByRole('button', { name: 'Save secret' }).count()).toBe(0);
      expect(await page.content()).not.toContain('sk_tour_never_shown');
      // The run page offers retry to everyone; the server refuses a viewer and the page says why.
      await page.goto(`${node.baseUrl}/runs/${failedRun}`);
      await waitForHydration(page);
      await page.getByRole('button', { name: 'Retry from failed step' }).click();
      await page.getByText('Your role (viewer) cannot retry runs; it needs editor or above.').waitFor();
      const { rows } = await tdb.pool.query('select count(*)::int as n from khaosflow.runs');
      expect(rows[0].n).toBe(5);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
