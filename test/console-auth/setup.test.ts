// The first-run setup: only with the token derived from the master key, only while
// no user exists, and exactly one owner however many browsers submit it at once.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleAuth, type ConsoleAuth } from '../../server/console-auth/index.js';
import { setupToken } from '../../server/console-auth/setup-token.js';
import { listUsers } from '../../server/console-auth/users.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

let tdb: TestDatabase;
let auth: ConsoleAuth;
const masterKey = randomBytes(32);
const token = setupToken(masterKey);
const meta = { ip: '127.0.0.1', secure: false };
const owner = (i: number) => ({ token, email: `owner${i}@example.com`, name: `Owner ${i}`, password: 'first owner password' });
beforeAll(async () => {
  tdb = await createTestDatabase();
  auth = createConsoleAuth(tdb.db, masterKey);
});
afterAll(() => tdb.drop());

describe('console setup', () => {
  it('has a token derived from the master key, accepted by nothing else', () => {
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(setupToken(Buffer.from(masterKey))).toBe(token);
    expect(setupToken(randomBytes(32))).not.toBe(token);
    expect(auth.isSetupToken(token)).toBe(true);
    expect(auth.isSetupToken(token.slice(0, -1))).toBe(false);
    expect(auth.isSetupToken(setupToken(randomBytes(32)))).toBe(false);
    expect(auth.isSetupToken(undefined)).toBe(false);
  });

  it('refuses a wrong token and a bad password without creating anyone', async () => {
    expect(await auth.needsSetup()).toBe(true);
    const wrong = await auth.setup({ ...owner(0), token: setupToken(randomBytes(32)) }, meta);
    expect(wrong).toMatchObject({ ok: false, status: 403, message: expect.stringContaining('The setup link is not valid') });
    expect(await auth.setup({ ...owner(0), password: 'short' }, meta)).toEqual({
      ok: false,
      status: 422,
      message: 'A password needs at least 10 characters.',
    });
    expect(await listUsers(tdb.db)).toEqual([]);
  });

  it('creates exactly one owner when several setups arrive at once, then answers 409', async () => {
    const results = await Promise.all([1, 2, 3, 4, 5].map((i) => auth.setup(owner(i), meta)));
    const winners = results.filter((r) => r.ok);
    expect(winners).toHaveLength(1);
    for (const r of results.filter((r) => !r.ok))
      expect(r).toEqual({ ok: false, status: 409, message: 'KhaosFlow is already set up. Log in instead.' });
    const users = await listUsers(tdb.db);
    expect(users).toHaveLength(1);
    expect(users[0]).toMatchObject({ role: 'owner' });
    const winner = winners[0]!;
    if (!winner.ok) throw new Error('unreachable');
    expect(winner.user.email).toBe(users[0]!.email);
    expect(await auth.userFromCookie(winner.cookie.split(';')[0])).toMatchObject({ id: users[0]!.id, role: 'owner' });

    expect(await auth.needsSetup()).toBe(false);
    expect(await auth.setup(owner(6), meta)).toMatchObject({ ok: false, status: 409 });
    expect(await auth.login(users[0]!.email, 'first owner password', meta)).toMatchObject({ ok: true });
  });
});
