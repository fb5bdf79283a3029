// "Listen for a test event" in the editor's test panel: the panel shows the test URL,
// curl sends one request there, the request's body fills the sample data, and a test
// run with it finishes every step. The same for the unsaved text of the editor (its
// trigger's new path), and earlier test events can be chosen again from a list. A
// database trigger's sample is the newest matching row of its table.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../../server/console-auth/users.js';
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
import { applyYaml, runsOf } from '../../triggers/helpers.js';

const skip = browserSkipReason();
if (skip) console.warn(skip);

let tdb: TestDatabase;
let node: TestNode;

beforeAll(async () => {
  tdb = await createTestDatabase();
  node = await startTestNode({ databaseUrl: tdb.url, singletons: false });
  await createUser(tdb.db, { email: 'ed@example.com', name: 'Ed', password: 'editor-password', role: 'editor' });
  await applyYaml(
    tdb.db,
    `name: Shop Orders
trigger: { type: webhook, path: /shop/orders }
steps:
  - name: Note Order
    action: { type: log, message: "order {{trigger.data.id}}" }
  - name: Thank
    action: { type: log, message: "thanks for {{trigger.data.item}}" }
`,
  );
});
beforeAll(async () => {
  // No connection: the trigger watches KhaosFlow's own database.
  await tdb.pool.query('create table public.parcels (id serial primary key, status text, weight int)');
  await tdb.pool.query("insert into public.parcels (status, weight) values ('sent', 1), ('lost', 2), ('sent', 3), ('held', 4)");
  await applyYaml(
    tdb.db,
    `name: Sent Parcels
trigger: { type: database, table: parcels, event: INSERT, filter: "status = 'sent'" }
steps:
  - name: Weigh
    action: { type: log, message: "parcel {{trigger.data.id}} weighs {{trigger.data.weight}}" }
`,
  );
});
afterAll(async () => {
  await node?.stop();
  await tdb?.drop();
});

/** curl, as a sender would call the hook; resolves to what it printed once it exits 0. */
function curl(url: string, body: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/curl', [
      '-sS',
      '--fail-with-body',
      '-X',
      'POST',
      '-H',
      'Content-Type: application/json',
      '--data',
      body,
      url,
    ]);
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.stderr.on('data', (chunk) => {
      out += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`curl exited ${code}: ${out}`))));
  });
}

async function shoot(page: Page, name: string): Promise<void> {
  const file = screenshotPath(name);
  await page.screenshot({ path: file, fullPage: true });
  if (process.env.UPDATE_SCREENSHOTS === '1') {
    fs.mkdirSync('docs/screenshots', { recursive: true });
    fs.copyFileSync(file, path.join('docs/screenshots', `${name}.png`));
  }
}

/** Listens, sends `body` with curl to the URL the panel shows, and waits for the sample data to hold it. */
async function catchOne(page: Page, body: string, expectedPath: string): Promise<void> {
  const test = page.getByRole('region', { name: 'Test' });
  await test.getByRole('button', { name: 'Listen for a test event' }).click();
  const listening = test.getByRole('status', { name: 'Listening' });
  const url = await listening.locator('code').innerText();
  expect(url).toBe(`${node.baseUrl}/hooks-test${expectedPath}`);
  await shoot(page, 'console-editor-listening');
  expect(await curl(url, body)).toContain('"sample_id"');
  await listening.waitFor({ state: 'detached' });
  await expect.poll(async () => JSON.parse(await test.getByLabel(/Sample trigger data/).inputValue())).toEqual(JSON.parse(body));
}

describe.skipIf(skip !== null)('test events in Chromium', () => {
  it('listens for a test event, fills the sample with what curl sent and runs the test with it', async () => {
    const browser = await launchBrowser();
    const page = await browser.context.newPage();
    try {
      await page.setViewportSize({ width: 1400, height: 1000 });
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(err.message));
      await logIn(page, node.baseUrl, 'ed@example.com', 'editor-password');
      await page.goto(`${node.baseUrl}/workflows/shop-orders`);
      await waitForHydration(page);
      const test = page.getByRole('region', { name: 'Test' });

      await catchOne(page, '{"id": 41, "item": "green tea"}', '/shop/orders');
      // A test event starts no run.
      expect(await runsOf(tdb.db, 'shop-orders')).toHaveLength(0);
      await test.getByRole('button', { name: 'Run test' }).click();
      const steps = test.getByRole('list', { name: 'Test steps' });
      for (const name of ['Note Order', 'Thank']) await steps.getByRole('listitem', { name }).getByText('succeeded').waitFor();
      await test.getByLabel('Test run status').getByText('succeeded').waitFor();
      const thank = steps.getByRole('listitem', { name: 'Thank' });
      await thank.getByText('Input, output, logs').click();
      expect(await thank.getByRole('group', { name: 'Output' }).innerText()).toContain('thanks for green tea');
      await shoot(page, 'console-editor-test-event');

      // The unsaved text's trigger is the one listened for: a new path, not saved.
      const saved = await editorText(page);
      await replaceEditorText(page, saved.replace('/shop/orders', '/shop/draft-orders'));
      await catchOne(page, '{"id": 42, "item": "oolong"}', '/shop/draft-orders');

      // Earlier test events are offered in a list; choosing one fills the sample again.
      const events = test.getByLabel('Captured test events');
      await expect.poll(async () => (await events.locator('option').allInnerTexts()).length).toBe(3);
      const first = (await events.locator('option').allInnerTexts()).find((o) => o.includes('/shop/orders'))!;
      await events.selectOption({ label: first });
      await expect.poll(async () => JSON.parse(await test.getByLabel(/Sample trigger data/).inputValue())).toMatchObject({ id: 41 });

      // Cancel stops waiting.
      await test.getByRole('button', { name: 'Listen for a test event' }).click();
      await test.getByRole('button', { name: 'Cancel' }).click();
      await test.getByRole('button', { name: 'Listen for a test event' }).waitFor();
      expect(errors).toEqual([]);
    } catch (err) {
      await page.screenshot({ path: screenshotPath('console-editor-listen-failure'), fullPage: true });
      throw err;
    } finally {
      await browser.close();
    }
  }, 180_000);

  it("fills a database trigger's sample with the newest matching row and runs the test with it", async () => {
    const browser = await launchBrowser();
    const page = await browser.context.newPage();
    try {
      await logIn(page, node.baseUrl, 'ed@example.com', 'editor-password');
      await page.goto(`${node.baseUrl}/workflows/sent-parcels`);
      await waitForHydration(page);
      const test = page.getByRole('region', { name: 'Test' });
      await test.getByRole('button', { name: 'Sample from the table' }).click();
      await expect.poll(async () => test.getByLabel(/Sample trigger data/).inputValue()).toContain('"weight": 3');
      expect(JSON.parse(await test.getByLabel(/Sample trigger data/).inputValue())).toEqual({ id: 3, status: 'sent', weight: 3 });
      await test.getByRole('button', { name: 'Run test' }).click();
      const weigh = test.getByRole('list', { name: 'Test steps' }).getByRole('listitem', { name: 'Weigh' });
      await weigh.getByText('succeeded').waitFor();
      await weigh.getByText('Input, output, logs').click();
      expect(await weigh.getByRole('group', { name: 'Output' }).innerText()).toContain('parcel 3 weighs 3');
    } catch (err) {
      await page.screenshot({ path: screenshotPath('console-editor-table-sample-failure'), fullPage: true });
      throw err;
    } finally {
      await browser.close();
    }
  }, 180_000);
});
