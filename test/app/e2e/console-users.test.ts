// The owner manages users in the console: add, change role, disable; the last owner
// cannot be demoted; nobody else sees or reaches the page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleAuth } from '../../../server/console-auth/index.js';
import { createSession, sessionUser } from '../../../server/console-auth/sessions.js';
import { createUser } from '../../../server/console-auth/users.js';
import { browserSkipReason, launchBrowser, logIn, screenshotPath } from '../../helpers/browser.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.js';
import { startTestNode, type TestNode } from '../../helpers/node.js';

const skip = browserSkipReason();
if (skip) console.warn(skip);

let tdb: TestDatabase;
let node: TestNode;
beforeAll(async () => {
  tdb = await createTestDatabase();
  node = await startTestNode({ databaseUrl: tdb.url, worker: false, singletons: false });
  await createUser(tdb.db, { email: 'own@example.com', name: 'Olga Owner', password: 'owner-password', role: 'owner' });
  await createUser(tdb.db, { email: 'ed@example.com', name: 'Ed', password: 'editor-password', role: 'editor' });
});
afterAll(async () => {
  await node?.stop();
  await tdb?.drop();
});

const roleOf = async (email: string) =>
  (await tdb.pool.query('select role, disabled_at is not null as disabled from khaosflow.users where email = $1', [email])).rows[0];

describe('users page', () => {
  it('is refused to anyone but an owner', async () => {
    const auth = createConsoleAuth(tdb.db, node.services.vault.master.key);
    const login = await auth.login('ed@example.com', 'editor-password', { ip: '127.0.0.1', secure: false });
    if (!login.ok) throw new Error(login.message);
    const cookie = login.cookie.split(';')[0]!;
    const res = await fetch(`${node.baseUrl}/users`, { headers: { cookie } });
    expect(res.status).toBe(403);
    const html = await res.text();
    expect(html).toContain('Your role (editor) cannot manage users; it needs owner or above.');
    expect(html).not.toContain('own@example.com');
    const post = await fetch(`${node.baseUrl}/users`, {
      method: 'POST',
      headers: { cookie, origin: node.baseUrl, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ intent: 'role', email: 'ed@example.com', role: 'owner' }),
    });
    expect(post.status).toBe(403);
    expect(await roleOf('ed@example.com')).toEqual({ role: 'editor', disabled: false });
  });

  it.skipIf(skip !== null)('lets the owner add a user, change a role and disable a user, but not demote the last owner', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      await logIn(page, node.baseUrl, 'own@example.com', 'owner-password');
      await page.getByRole('link', { name: 'Users' }).click();
      await page.getByRole('heading', { name: 'Users' }).waitFor();

      await page.getByLabel('Email').fill('new@example.com');
      await page.getByLabel('Name').fill('Nia New');
      await page.getByLabel('Role of the new user').selectOption('viewer');
      await page.getByLabel('Password').fill('short');
      await page.getByRole('button', { name: 'Add user' }).click();
      await page.getByRole('alert').waitFor();
      expect(await page.getByRole('alert').innerText()).toBe('A password needs at least 10 characters.');

      await page.getByLabel('Password').fill('a good long password');
      await page.getByRole('button', { name: 'Add user' }).click();
      await page.getByRole('status').waitFor();
      expect(await page.getByRole('status').innerText()).toContain('Added new@example.com.');
      expect(await roleOf('new@example.com')).toEqual({ role: 'viewer', disabled: false });
      expect(await page.getByLabel('Email').inputValue()).toBe('');

      await page.getByLabel('Role of ed@example.com').selectOption('admin');
      await page.locator('tr', { hasText: 'ed@example.com' }).getByRole('button', { name: 'Save' }).click();
      await page.getByText('ed@example.com is now admin.').waitFor();
      expect(await roleOf('ed@example.com')).toEqual({ role: 'admin', disabled: false });

      await page.locator('tr', { hasText: 'new@example.com' }).getByRole('button', { name: 'Disable' }).click();
      await page.getByText('new@example.com is disabled.').waitFor();
      expect(await roleOf('new@example.com')).toEqual({ role: 'viewer', disabled: true });

      await page.getByLabel('Role of own@example.com').selectOption('viewer');
      await page.locator('tr', { hasText: 'own@example.com' }).getByRole('button', { name: 'Save' }).click();
      await page.getByRole('alert').waitFor();
      expect(await page.getByRole('alert').innerText()).toContain('own@example.com is the only owner.');
      expect(await roleOf('own@example.com')).toEqual({ role: 'owner', disabled: false });
      expect(await page.getByLabel('Role of own@example.com').inputValue()).toBe('owner');
      await page.screenshot({ path: screenshotPath('console-users'), fullPage: true });
    } finally {
      await browser.close();
    }
  });

  it.skipIf(skip !== null)('lets anyone change their own password, ending their other sessions but not this one', async () => {
    await createUser(tdb.db, { email: 'pat@example.com', name: 'Pat', password: 'old-password-1', role: 'viewer' });
    const pat = await tdb.db.selectFrom('khaosflow.users').select('id').where('email', '=', 'pat@example.com').executeTakeFirstOrThrow();
    const elsewhere = await createSession(tdb.db, pat.id);
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      await logIn(page, node.baseUrl, 'pat@example.com', 'old-password-1');
      await page.getByRole('link', { name: 'Pat' }).click();
      await page.getByRole('heading', { name: 'Your account' }).waitFor();
      await page.getByLabel('Current password').fill('not-it-at-all');
      await page.getByLabel('New password (at least 10 characters)').fill('new-password-2');
      await page.getByLabel('New password again').fill('new-password-2');
      await page.getByRole('button', { name: 'Change password' }).click();
      await page.getByRole('alert').waitFor();
      expect(await page.getByRole('alert').innerText()).toBe('The current password is wrong.');

      await page.getByLabel('Current password').fill('old-password-1');
      await page.getByLabel('New password (at least 10 characters)').fill('new-password-2');
      await page.getByLabel('New password again').fill('new-password-2');
      await page.getByRole('button', { name: 'Change password' }).click();
      await page.getByRole('status').waitFor();
      expect(await page.getByRole('status').innerText()).toContain('Password changed.');
      expect(await page.getByLabel('Current password').inputValue()).toBe('');
      await page.screenshot({ path: screenshotPath('console-account'), fullPage: true });
      expect(await sessionUser(tdb.db, elsewhere.token)).toBeNull();
      // Still logged in here.
      await page.getByRole('link', { name: 'Runs' }).click();
      await page.getByRole('heading', { name: 'Runs' }).waitFor();
      const auth = createConsoleAuth(tdb.db, node.services.vault.master.key);
      expect((await auth.login('pat@example.com', 'old-password-1', { ip: '10.0.0.9', secure: false })).ok).toBe(false);
      expect((await auth.login('pat@example.com', 'new-password-2', { ip: '10.0.0.9', secure: false })).ok).toBe(true);
    } finally {
      await browser.close();
    }
  });
});
