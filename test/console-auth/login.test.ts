// createConsoleAuth's login as the console's routes use it: the session cookie's
// attributes, one answer for unknown emails and wrong passwords, throttling, logout.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleAuth, type AuthResult, type ConsoleAuth } from '../../server/console-auth/index.js';
import { createUser, setDisabled } from '../../server/console-auth/users.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

let tdb: TestDatabase;
let auth: ConsoleAuth;
const PASSWORD = 'correct horse battery';
beforeAll(async () => {
  tdb = await createTestDatabase();
  auth = createConsoleAuth(tdb.db, randomBytes(32));
  for (const email of ['ann@example.com', 'bob@example.com', 'cy@example.com', 'dee@example.com', 'eve@example.com', 'fay@example.com'])
    await createUser(tdb.db, { email, password: PASSWORD });
});
afterAll(() => tdb.drop());

const meta = (ip: string, secure = false) => ({ ip, userAgent: 'vitest', secure });
const attributes = (cookie: string) =>
  cookie
    .split(';')
    .slice(1)
    .map((a) => a.trim());
const cookieHeader = (result: AuthResult) => (result.ok ? result.cookie.split(';')[0]! : '');

describe('console login', () => {
  it('sets an HttpOnly, SameSite=Lax session cookie for the whole site, Secure only over HTTPS', async () => {
    const plain = await auth.login('ann@example.com', PASSWORD, meta('10.0.0.1'));
    expect(plain).toMatchObject({ ok: true, user: { email: 'ann@example.com', role: 'editor' } });
    if (!plain.ok) throw new Error('login failed');
    expect(plain.user).not.toHaveProperty('password_hash');
    expect(plain.cookie).toMatch(/^kf_session=[A-Za-z0-9_-]{43};/);
    expect(attributes(plain.cookie)).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Lax', 'Path=/', 'Max-Age=604800']));
    expect(attributes(plain.cookie)).not.toContain('Secure');
    expect(await auth.userFromCookie(`theme=dark; ${cookieHeader(plain)}`)).toMatchObject({ email: 'ann@example.com' });

    const secure = await auth.login(' ANN@example.com ', PASSWORD, meta('10.0.0.1', true));
    if (!secure.ok) throw new Error('login failed');
    expect(attributes(secure.cookie)).toContain('Secure');
    expect(cookieHeader(secure)).not.toBe(cookieHeader(plain));
  });

  it('ends the session on logout with a cookie that clears it', async () => {
    const result = await auth.login('bob@example.com', PASSWORD, meta('10.0.0.2'));
    const cleared = await auth.logout(cookieHeader(result), meta('10.0.0.2'));
    expect(cleared).toMatch(/^kf_session=; /);
    expect(attributes(cleared)).toEqual(expect.arrayContaining(['Max-Age=0', 'Path=/', 'HttpOnly']));
    expect(await auth.userFromCookie(cookieHeader(result))).toBeNull();
    expect(await auth.userFromCookie('kf_session=%E0%A4%A')).toBeNull();
  });

  it('answers 401 "Wrong email or password." alike for an unknown email and a wrong password', async () => {
    const unknown = await auth.login('nobody@example.com', PASSWORD, meta('10.0.0.3'));
    const wrong = await auth.login('cy@example.com', 'not the password', meta('10.0.0.3'));
    expect(unknown).toEqual({ ok: false, status: 401, message: 'Wrong email or password.' });
    expect(wrong).toEqual(unknown);
  });

  it('refuses a disabled user with the same answer, and lets them in once enabled', async () => {
    await setDisabled(tdb.db, 'dee@example.com', true);
    expect(await auth.login('dee@example.com', PASSWORD, meta('10.0.0.4'))).toEqual({
      ok: false,
      status: 401,
      message: 'Wrong email or password.',
    });
    await setDisabled(tdb.db, 'dee@example.com', false);
    expect(await auth.login('dee@example.com', PASSWORD, meta('10.0.0.4'))).toMatchObject({ ok: true });
  });

  it('answers 429 to the 6th attempt after 5 failures for one email from one address, even with the right password', async () => {
    for (let i = 0; i < 5; i++) {
      expect(await auth.login('eve@example.com', `wrong password ${i}`, meta('10.1.0.1'))).toMatchObject({ status: 401 });
    }
    const sixth = await auth.login('Eve@Example.com', PASSWORD, meta('10.1.0.1'));
    expect(sixth).toMatchObject({ ok: false, status: 429 });
    expect((sixth as { message: string }).message).toMatch(/^Too many failed logins\. Try again in (\d+ second\(s\)|1 minute\(s\))\.$/);
    expect(await auth.login('bob@example.com', PASSWORD, meta('10.1.0.1'))).toMatchObject({ ok: true });
  });

  it('checks a current password under the same throttle, so an open session cannot be used to guess it', async () => {
    expect(await auth.checkPassword('fay@example.com', PASSWORD, meta('10.2.0.1'))).toEqual({ ok: true });
    for (let i = 0; i < 5; i++) {
      expect(await auth.checkPassword('fay@example.com', `guess ${i}`, meta('10.2.0.1'))).toEqual({
        ok: false,
        status: 403,
        message: 'The current password is wrong.',
      });
    }
    expect(await auth.checkPassword('fay@example.com', PASSWORD, meta('10.2.0.1'))).toMatchObject({ ok: false, status: 429 });
    // The same counter guards the login form.
    expect(await auth.login('fay@example.com', PASSWORD, meta('10.2.0.1'))).toMatchObject({ ok: false, status: 429 });
  });
});
