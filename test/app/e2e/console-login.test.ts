// The console is behind a login: first the one-time owner setup from the link in the
// log, then email and password, a session cookie scripts cannot read, and a redirect
// to the login page for page loads and client-side data requests alike.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupToken } from '../../../server/console-auth/setup-token.js';
import { browserSkipReason, launchBrowser, logIn, screenshotPath } from '../../helpers/browser.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.js';
import { applyYaml } from '../../triggers/helpers.js';
import { startTestNode, type TestNode } from '../../helpers/node.js';

const skip = browserSkipReason();
if (skip) console.warn(skip);

let tdb: TestDatabase;
let node: TestNode;
let logs: string[];
beforeAll(async () => {
  tdb = await createTestDatabase();
  logs = [];
  node = await startTestNode({ databaseUrl: tdb.url, worker: false, singletons: false, logSink: (line) => logs.push(line) });
  await applyYaml(tdb.db, `name: Nightly Report\nsteps:\n  - name: Say\n    action: { type: log, message: hi }\n`);
});
afterAll(async () => {
  await node?.stop();
  await tdb?.drop();
});

const token = () => setupToken(node.services.vault.master.key);

describe('console login over HTTP', () => {
  it('prints the setup link at start while no account exists', () => {
    const line = logs.map((l) => JSON.parse(l) as { msg: string }).find((l) => l.msg.includes('/setup?token='));
    expect(line?.msg).toContain(`/setup?token=${token()}`);
  });

  it('sends page loads to the login page and answers data requests with a redirect, never data', async () => {
    const page = await fetch(`${node.baseUrl}/runs?status=failed`, { redirect: 'manual' });
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe('/login?next=%2Fruns%3Fstatus%3Dfailed');
    const data = await fetch(`${node.baseUrl}/_root.data`, { redirect: 'manual' });
    const body = await data.text();
    expect(body).toContain('SingleFetchRedirect');
    expect(body).toContain('/login');
    expect(body).not.toContain('Nightly Report');
  });

  it('serves pages with a strict Content-Security-Policy whose nonce is on every inline script', async () => {
    const res = await fetch(`${node.baseUrl}/login`);
    const csp = res.headers.get('content-security-policy') ?? '';
    const nonce = /script-src 'self' 'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
    expect(nonce).toBeDefined();
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    const html = await res.text();
    const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    for (const attrs of scripts) expect(attrs).toContain(`nonce="${nonce}"`);
    // A new nonce for every response.
    const again = (await fetch(`${node.baseUrl}/login`)).headers.get('content-security-policy');
    expect(again).not.toBe(csp);
  });

  it('refuses a form post from another origin', async () => {
    const res = await fetch(`${node.baseUrl}/setup`, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        token: token(),
        email: 'x@example.com',
        name: 'X',
        password: 'long-enough-pw',
        confirm: 'long-enough-pw',
      }),
      redirect: 'manual',
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('https://evil.example');
    const { rows } = await tdb.pool.query('select count(*)::int as n from khaosflow.users');
    expect(rows[0].n).toBe(0);
  });
});

describe.skipIf(skip !== null)('console login in Chromium', () => {
  it('sets up the owner from the link, logs out, and logs back in to the page asked for', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(err.message));
      // CSP violations show up as console errors; the expected 401/422 answers of the forms do too.
      page.on('console', (msg) => {
        if (msg.type() === 'error' && !/status of (401|422)/.test(msg.text())) errors.push(msg.text());
      });

      await page.goto(`${node.baseUrl}/`);
      await page.getByRole('heading', { name: 'Set up KhaosFlow' }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/login');

      await page.goto(`${node.baseUrl}/setup?token=wrong`);
      await page.getByRole('alert').waitFor();
      expect(await page.getByRole('alert').innerText()).toContain('This setup link is not valid');

      await page.goto(`${node.baseUrl}/setup?token=${token()}`);
      await page.getByLabel('Name').fill('Ann Owner');
      await page.getByLabel('Email').fill('ann@example.com');
      await page.getByLabel('Password (at least 10 characters)').fill('short');
      await page.getByLabel('Password again').fill('short');
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.getByRole('alert').waitFor();
      expect(await page.getByRole('alert').innerText()).toBe('A password needs at least 10 characters.');
      await page.screenshot({ path: screenshotPath('console-setup-error'), fullPage: true });

      await page.getByLabel('Password (at least 10 characters)').fill('correct horse battery');
      await page.getByLabel('Password again').fill('correct horse battery');
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.getByRole('heading', { name: 'Workflows' }).waitFor();
      expect(await page.getByRole('navigation', { name: 'Main' }).isVisible()).toBe(true);
      expect(await page.locator('aside').innerText()).toContain('Ann Owner');
      await page.screenshot({ path: screenshotPath('console-after-setup'), fullPage: true });

      const cookie = (await browser.context.cookies()).find((c) => c.name === 'kf_session');
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
      const { rows: users } = await tdb.pool.query('select email, role from khaosflow.users');
      expect(users).toEqual([{ email: 'ann@example.com', role: 'owner' }]);
      // The database keeps only a hash of the session token.
      const { rows: sessions } = await tdb.pool.query("select encode(token_hash, 'base64') as h from khaosflow.sessions");
      expect(sessions).toHaveLength(1);
      expect(JSON.stringify(sessions)).not.toContain(cookie!.value);

      // The setup link is spent once an account exists (setup -> login -> home, server-side redirects).
      await page.goto(`${node.baseUrl}/setup?token=${token()}`);
      await page.getByRole('heading', { name: 'Workflows' }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/');

      await page.getByRole('button', { name: 'Log out' }).click();
      await page.getByRole('heading', { name: 'Log in' }).waitFor();
      expect((await tdb.pool.query('select count(*)::int as n from khaosflow.sessions')).rows[0].n).toBe(0);

      await page.goto(`${node.baseUrl}/runs`);
      await page.getByRole('heading', { name: 'Log in' }).waitFor();
      expect(page.url()).toBe(`${node.baseUrl}/login?next=%2Fruns`);
      await page.getByLabel('Email').fill('ann@example.com');
      await page.getByLabel('Password').fill('not the password');
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByRole('alert').waitFor();
      expect(await page.getByRole('alert').innerText()).toBe('Wrong email or password.');
      await page.screenshot({ path: screenshotPath('console-login-error'), fullPage: true });
      await page.getByLabel('Password').fill('correct horse battery');
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByRole('heading', { name: 'Runs' }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/runs');

      // A session ended on the server (user disabled, say): the next client-side
      // navigation lands on the login page instead of showing data.
      await tdb.pool.query('delete from khaosflow.sessions');
      await page.getByRole('link', { name: 'Workflows' }).click();
      await page.getByRole('heading', { name: 'Log in' }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/login');
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('logs in through the helper other console tests use', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      await logIn(page, node.baseUrl, 'ann@example.com', 'correct horse battery');
      await page.getByRole('heading', { name: 'Workflows' }).waitFor();
      expect(await page.getByRole('region', { name: 'Workflows' }).locator('tbody tr').count()).toBe(1);
    } finally {
      await browser.close();
    }
  });
});
