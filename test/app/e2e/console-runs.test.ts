// Inspecting and retrying runs in the console: the failed step is open with its error,
// "Retry from failed step" starts a retry that carries the earlier steps over, and a
// viewer may look but not retry.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { getRun } from '../../../db/queries/runs.js';
import { createSession } from '../../../server/console-auth/sessions.js';
import { createUser } from '../../../server/console-auth/users.js';
import { triggerRun } from '../../../server/queue/enqueue-run.js';
import { browserSkipReason, launchBrowser, logIn, screenshotPath, waitForHydration } from '../../helpers/browser.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.js';
import { startTestNode, type TestNode } from '../../helpers/node.js';
import { registerTestActions } from '../../helpers/test-actions.js';
import { applyYaml } from '../../triggers/helpers.js';

const skip = browserSkipReason();
if (skip) console.warn(skip);

let tdb: TestDatabase;
let node: TestNode;
let failedRun: string;

async function waitForStatus(id: string, statuses: string[]): Promise<void> {
  // vi.waitFor, not expect.poll: this also runs in beforeAll.
  await vi.waitFor(
    async () => {
      const status = (await getRun(tdb.db, id))?.status;
      if (!statuses.includes(String(status))) throw new Error(`run ${id} is ${status}, waiting for ${statuses.join('/')}`);
    },
    { timeout: 20_000, interval: 50 },
  );
}

beforeAll(async () => {
  registerTestActions();
  tdb = await createTestDatabase();
  node = await startTestNode({ databaseUrl: tdb.url, singletons: false });
  await createUser(tdb.db, { email: 'ed@example.com', name: 'Ed Editor', password: 'editor-password', role: 'editor' });
  await createUser(tdb.db, { email: 'vi@example.com', name: 'Vi Viewer', password: 'viewer-password', role: 'viewer' });
  await applyYaml(
    tdb.db,
    `
name: Invoice Import
steps:
  - name: Fetch
    action: { type: log, message: "fetched {{trigger.data.file}}" }
  - name: Parse
    action: { type: test_fail, times: 1, kind: fatal, key: "invoice-import-${Date.now()}", message: "bad CSV row 3" }
`,
  );
  failedRun = await triggerRun(tdb.pool, 'invoice-import', 'manual', { data: { file: 'march.csv' } });
  await waitForStatus(failedRun, ['failed']);
});
afterAll(async () => {
  await node?.stop();
  await tdb?.drop();
});

describe('run pages', () => {
  it('lets a viewer see a run but not retry it', async () => {
    const viewer = await tdb.db.selectFrom('khaosflow.users').select('id').where('email', '=', 'vi@example.com').executeTakeFirstOrThrow();
    const { token } = await createSession(tdb.db, viewer.id);
    const headers = { cookie: `kf_session=${token}`, origin: node.baseUrl };
    const page = await fetch(`${node.baseUrl}/runs/${failedRun}`, { headers });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('bad CSV row 3');
    const retry = await fetch(`${node.baseUrl}/runs/${failedRun}`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ intent: 'retry-failed' }),
      redirect: 'manual',
    });
    expect(retry.status).toBe(403);
    expect(await retry.text()).toContain('Your role (viewer) cannot retry runs; it needs editor or above.');
    const { rows } = await tdb.pool.query('select count(*)::int as n from khaosflow.runs where retry_of = $1', [failedRun]);
    expect(rows[0].n).toBe(0);
  });

  it.skipIf(skip !== null)('shows the failed step with its error and retries from it', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(err.message));
      page.on('console', (msg) => {
        if (msg.type() === 'error') errors.push(msg.text());
      });
      await logIn(page, node.baseUrl, 'ed@example.com', 'editor-password');

      await page.getByRole('link', { name: 'Runs' }).click();
      await page.getByRole('heading', { name: 'Runs' }).waitFor();
      await page.getByRole('navigation', { name: 'Filter runs' }).getByRole('link', { name: 'failed' }).click();
      await page.waitForURL(/\/runs\?status=failed$/);
      const rows = page.locator('tbody tr');
      await expect.poll(() => rows.count()).toBe(1);
      await rows.first().getByRole('link').click();
      await page.getByRole('heading', { name: 'Invoice Import' }).waitFor();
      expect(new URL(page.url()).pathname).toBe(`/runs/${failedRun}`);
      expect(await page.getByRole('status', { name: 'Run error' }).innerText()).toBe('Failed at "Parse": bad CSV row 3');
      // The failed step is open; the one that worked is folded.
      const parse = page.locator('details', { hasText: 'test_fail' });
      expect(await parse.getAttribute('open')).not.toBeNull();
      expect(await parse.innerText()).toContain('"message": "bad CSV row 3"');
      expect(await page.locator('details', { hasText: 'Fetch' }).getAttribute('open')).toBeNull();
      await page.screenshot({ path: screenshotPath('console-run-failed'), fullPage: true });

      await page.getByRole('button', { name: 'Retry from failed step' }).click();
      await page.waitForURL((url) => url.pathname.startsWith('/runs/') && url.pathname !== `/runs/${failedRun}`);
      const retryId = new URL(page.url()).pathname.split('/')[2]!;
      const retry = await getRun(tdb.db, retryId);
      expect(retry?.retry_of).toBe(failedRun);
      await waitForStatus(retryId, ['succeeded']);
      await page.reload();
      await waitForHydration(page);
      await page.getByRole('heading', { name: 'Invoice Import' }).waitFor();
      expect(await page.locator('main').innerText()).toContain(`retry of ${failedRun.slice(0, 8)}`);
      expect(await page.locator('details', { hasText: 'Fetch' }).innerText()).toContain('carried over');
      expect(await page.locator('details', { hasText: 'test_fail' }).innerText()).toContain('succeeded');
      await page.screenshot({ path: screenshotPath('console-run-retried'), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it.skipIf(skip !== null)('follows a run that is still going without a reload', async () => {
    // The run's first step calls a local server that answers only when the test says so:
    // the run is certainly still going while the page is checked, however slow the machine.
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const gate = createServer((_req, res) => {
      void released.then(() => res.end('{"open":true}'));
    });
    await new Promise<void>((resolve) => gate.listen(0, '127.0.0.1', resolve));
    const { port } = gate.address() as AddressInfo;
    await applyYaml(
      tdb.db,
      `
name: Slow Note
steps:
  - name: Wait for the gate
    action: { type: http_request, method: GET, url: "http://127.0.0.1:${port}/gate" }
  - name: Note
    action: { type: log, message: done }
`,
    );
    const id = await triggerRun(tdb.pool, 'slow-note', 'manual', { data: {} });
    await waitForStatus(id, ['running']);
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      await logIn(page, node.baseUrl, 'ed@example.com', 'editor-password');
      await page.goto(`${node.baseUrl}/runs/${id}`);
      await waitForHydration(page);
      await page.getByRole('heading', { name: 'Slow Note' }).waitFor();
      const badge = page.getByLabel('Run status');
      expect(await badge.innerText()).toBe('running');
      expect(await page.getByRole('button', { name: 'Cancel run' }).isVisible()).toBe(true);
      release();
      await page.getByLabel('Run status').getByText('succeeded').waitFor();
      await page.locator('details', { hasText: 'Note' }).waitFor();
      expect(await page.getByRole('button', { name: 'Run again from the start' }).isVisible()).toBe(true);
    } finally {
      release();
      await browser.close();
      gate.close();
    }
  });
});
