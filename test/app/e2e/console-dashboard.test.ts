// The console home: the dashboard's figures, its runs chart (uPlot canvas) and what
// fails most, from real runs, then the workflows list below it.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { getRun } from '../../../db/queries/runs.js';
import { createUser } from '../../../server/console-auth/users.js';
import { triggerRun } from '../../../server/queue/enqueue-run.js';
import { browserSkipReason, launchBrowser, logIn, screenshotPath } from '../../helpers/browser.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.js';
import { startTestNode, type TestNode } from '../../helpers/node.js';
import { applyYaml } from '../../triggers/helpers.js';

const skip = browserSkipReason();
if (skip) console.warn(skip);

let tdb: TestDatabase;
let node: TestNode;

async function finished(id: string) {
  await vi.waitFor(
    async () => {
      const run = await getRun(tdb.db, id);
      if (run?.status !== 'succeeded' && run?.status !== 'failed') throw new Error(`run is ${run?.status}`);
    },
    { timeout: 20_000, interval: 50 },
  );
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  node = await startTestNode({ databaseUrl: tdb.url, singletons: false });
  await createUser(tdb.db, { email: 'vi@example.com', name: 'Vi', password: 'viewer-password', role: 'viewer' });
  await applyYaml(
    tdb.db,
    `name: Check Stock
trigger: { type: manual }
steps:
  - name: Decide
    action: { type: transform, operation: map, input: "{{ trigger.data.items }}", transform: "{{ $error('stock API said no') }}" }
`,
  );
  await applyYaml(tdb.db, 'name: Say Hello\ntrigger: { type: manual }\nsteps: [{ name: Say, action: { type: log, message: hello } }]\n');
  for (let i = 0; i < 3; i++) await finished(await triggerRun(tdb.pool, 'say-hello', 'manual', { data: {} }));
  await finished(await triggerRun(tdb.pool, 'check-stock', 'manual', { data: { items: [1] } }));
});
afterAll(async () => {
  await node?.stop();
  await tdb?.drop();
});

describe.skipIf(skip !== null)('dashboard in Chromium', () => {
  it('shows the window figures, the runs chart and the workflow failing most', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(err.message));
      page.on('console', (msg) => {
        if (msg.type() === 'error') errors.push(msg.text());
      });
      await logIn(page, node.baseUrl, 'vi@example.com', 'viewer-password');
      const dashboard = page.getByRole('region', { name: 'Dashboard' });
      await dashboard.getByRole('heading', { name: 'Dashboard' }).waitFor();
      const text = await dashboard.innerText();
      expect(text).toMatch(/Started\s+4/i);
      expect(text).toMatch(/Success rate\s+75\.0 %/i);
      expect(await dashboard.getByRole('img', { name: 'Runs over time by status' }).locator('canvas').count()).toBeGreaterThan(0);
      const failing = dashboard.getByRole('listitem').filter({ hasText: 'Check Stock' });
      expect(await failing.innerText()).toContain('stock API said no');
      await page.getByRole('heading', { name: 'Workflows', exact: true }).waitFor();
      await page.screenshot({ path: screenshotPath('console-dashboard'), fullPage: true });
      await dashboard.getByRole('link', { name: '1h' }).click();
      await page.waitForURL(/\?window=1h$/);
      // The URL changes before the new window's data is drawn: wait for the link to be marked current.
      await dashboard.locator('a[aria-current="page"]', { hasText: '1h' }).waitFor();
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
