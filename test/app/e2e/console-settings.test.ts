// Settings pages: an admin adds a secret (whose value never reaches a page), sets a
// variable, previews an email template with sample data, creates an API key (shown
// once) and revokes it; a viewer sees names only and is refused a change by the server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '../../../server/console-auth/sessions.js';
import { createUser } from '../../../server/console-auth/users.js';
import { browserSkipReason, launchBrowser, logIn, screenshotPath, waitForHydration } from '../../helpers/browser.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.js';
import { startTestNode, type TestNode } from '../../helpers/node.js';
import { tempDir } from '../../triggers/helpers.js';

const skip = browserSkipReason();
if (skip) console.warn(skip);

let tdb: TestDatabase;
let node: TestNode;
const SECRET_VALUE = 'pk_live_NeverShowThisValue_77';

beforeAll(async () => {
  tdb = await createTestDatabase();
  node = await startTestNode({ databaseUrl: tdb.url, singletons: false, env: { KHAOSFLOW_HOME: tempDir('kf-settings-ui-') } });
  await createUser(tdb.db, { email: 'ad@example.com', name: 'Ad', password: 'admin-password', role: 'admin' });
  await createUser(tdb.db, { email: 'vi@example.com', name: 'Vi', password: 'viewer-password', role: 'viewer' });
});
afterAll(async () => {
  await node?.stop();
  await tdb?.drop();
});

describe('settings pages', () => {
  it('refuses a viewer a change on the server, and shows them names without values', async () => {
    await tdb.pool.query("insert into khaosflow.variables (name, value) values ('region', '\"eu-west\"')");
    const viewer = await tdb.db.selectFrom('khaosflow.users').select('id').where('email', '=', 'vi@example.com').executeTakeFirstOrThrow();
    const { token } = await createSession(tdb.db, viewer.id);
    const headers = { cookie: `kf_session=${token}`, origin: node.baseUrl };
    const post = (path: string, body: Record<string, string>) =>
      fetch(`${node.baseUrl}${path}`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(body),
        redirect: 'manual',
      });
    const secret = await post('/secrets', { intent: 'set', name: 'sneaky', value: 'x' });
    expect(secret.status).toBe(403);
    expect(await secret.text()).toContain('Your role (viewer) cannot change secrets; it needs admin or above.');
    expect((await post('/variables', { intent: 'set', name: 'region', value: '"us"' })).status).toBe(403);
    expect((await post('/templates', { intent: 'save', name: 't', subject: 's', text: 'x' })).status).toBe(403);
    expect((await fetch(`${node.baseUrl}/keys`, { headers })).status).toBe(403);
    const variables = await (await fetch(`${node.baseUrl}/variables`, { headers })).text();
    expect(variables).toContain('region');
    expect(variables).not.toContain('eu-west');
    const { rows } = await tdb.pool.query("select count(*)::int as n from khaosflow.secrets where name = 'sneaky'");
    expect(rows[0].n).toBe(0);
  });

  it.skipIf(skip !== null)(
    'lets an admin manage secrets, variables, templates and API keys',
    async () => {
      const browser = await launchBrowser();
      try {
        const page = await browser.context.newPage();
        const errors: string[] = [];
        page.on('pageerror', (err) => errors.push(err.message));
        page.on('console', (msg) => {
          if (msg.type() === 'error') errors.push(msg.text());
        });
        page.on('dialog', (dialog) => void dialog.accept());
        await logIn(page, node.baseUrl, 'ad@example.com', 'admin-password');

        await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Secrets' }).click();
        await page.getByRole('heading', { name: 'Secrets', level: 1 }).waitFor();
        await page.getByLabel('Name').fill('stripe_key');
        await page.getByLabel('Value').fill(SECRET_VALUE);
        await page.getByRole('button', { name: 'Save secret' }).click();
        await page.getByRole('status').getByText('Saved secret "stripe_key"').waitFor();
        await page.getByRole('cell', { name: 'stripe_key', exact: true }).waitFor();
        expect(await page.content()).not.toContain(SECRET_VALUE);
        await page.screenshot({ path: screenshotPath('console-secrets'), fullPage: true });

        // Each page has a Name field: wait for the new page before filling, or the old one gets the text.
        await page.getByRole('link', { name: 'Variables' }).click();
        await page.getByRole('heading', { name: 'Variables', level: 1 }).waitFor();
        await page.getByLabel('Name').fill('order_limit');
        await page.getByLabel('Value (JSON, or plain text)').fill('{"max": 500}');
        await page.getByRole('button', { name: 'Save variable' }).click();
        await page.getByRole('status').getByText('Saved variable "order_limit"').waitFor();
        const { rows } = await tdb.pool.query("select value from khaosflow.variables where name = 'order_limit'");
        expect(rows).toEqual([{ value: { max: 500 } }]);

        await page.getByRole('link', { name: 'Email templates' }).click();
        await page.getByRole('heading', { name: 'Email templates', level: 1 }).waitFor();
        await page.getByLabel('Name').fill('order_confirmation');
        await page.getByLabel('Subject').fill('Order {{order.id}} for {{order.customer}}');
        await page.getByLabel('Text').fill('Total: {{order.total}}');
        await page.getByRole('button', { name: 'Preview' }).click();
        const preview = page.getByRole('region', { name: 'Preview' });
        await preview.waitFor();
        expect(await preview.innerText()).toContain('Order 1001 for Ada');
        expect(await preview.innerText()).toContain('Total: 42.5');
        await page.getByRole('button', { name: 'Save template' }).click();
        await page.getByRole('status').getByText('Saved template "order_confirmation"').waitFor();
        await page.screenshot({ path: screenshotPath('console-templates'), fullPage: true });

        await page.getByRole('link', { name: 'API keys' }).click();
        await page.getByRole('heading', { name: 'API keys', level: 1 }).waitFor();
        await page.getByLabel('Name').fill('reporting');
        await page.getByRole('button', { name: 'Create key' }).click();
        const shown = page.getByRole('status', { name: 'New API key' });
        await shown.waitFor();
        const key = await shown.innerText();
        expect(key).toMatch(/^kf_/);
        const api = await fetch(`${node.baseUrl}/api/secrets`, { headers: { authorization: `Bearer ${key}` } });
        expect(api.status).toBe(200);
        await page.screenshot({ path: screenshotPath('console-keys'), fullPage: true });
        await page.getByRole('button', { name: 'Revoke reporting' }).click();
        await page.getByRole('status').getByText('Revoked the key').waitFor();
        expect((await fetch(`${node.baseUrl}/api/secrets`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(401);

        // Usable at phone width: the secrets form is still reachable.
        await page.setViewportSize({ width: 390, height: 844 });
        await page.goto(`${node.baseUrl}/secrets`);
        await waitForHydration(page);
        await page.getByRole('button', { name: 'Save secret' }).scrollIntoViewIfNeeded();
        expect(await page.getByRole('button', { name: 'Save secret' }).isVisible()).toBe(true);
        await page.screenshot({ path: screenshotPath('console-secrets-phone'), fullPage: true });
        expect(errors).toEqual([]);
      } finally {
        await browser.close();
      }
    },
    60_000,
  );
});
