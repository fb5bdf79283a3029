// Console users and sessions against a real database: unique emails regardless of
// case, input errors that say what to do, tokens stored only as SHA-256 hashes, and
// sessions that end when they expire, sit idle, or their user is disabled or re-keyed.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession, endSession, IDLE_TIMEOUT_MS, SessionRefused, sessionUser } from '../../server/console-auth/sessions.js';
import {
  createUser,
  findUserByEmail,
  listUsers,
  parseRole,
  setDisabled,
  setPassword,
  setRole,
  UserInputError,
} from '../../server/console-auth/users.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(() => tdb.drop());

const PASSWORD = 'a long enough password';
let n = 0;
const newUser = (extra: { role?: 'owner' | 'admin' | 'editor' | 'viewer' } = {}) =>
  createUser(tdb.db, { email: `person${++n}@example.com`, password: PASSWORD, ...extra });

describe('console users', () => {
  it('are created without exposing the password hash, and emails are unique in any case', async () => {
    const ann = await createUser(tdb.db, { email: '  Ann@Example.com ', name: ' Ann ', password: PASSWORD });
    expect(ann).toMatchObject({ email: 'Ann@Example.com', name: 'Ann', role: 'editor', last_login_at: null, disabled_at: null });
    expect(ann).not.toHaveProperty('password_hash');
    expect(JSON.stringify(await listUsers(tdb.db))).not.toContain('scrypt$');

    const dup = createUser(tdb.db, { email: 'ann@EXAMPLE.COM', password: PASSWORD });
    await expect(dup).rejects.toThrow(UserInputError);
    await expect(dup).rejects.toThrow('A user with the email ann@EXAMPLE.COM already exists.');
    expect((await findUserByEmail(tdb.db, 'ANN@example.com'))?.id).toBe(ann.id);
  });

  it('refuse short passwords, bad emails and unknown roles with what to do', async () => {
    await expect(createUser(tdb.db, { email: 'short@example.com', password: 'too-short' })).rejects.toThrow(
      'A password needs at least 10 characters.',
    );
    await expect(createUser(tdb.db, { email: 'not-an-email', password: PASSWORD })).rejects.toThrow(
      '"not-an-email" is not an email address: use one like name@example.com.',
    );
    await expect(createUser(tdb.db, { email: 'two words@example.com', password: PASSWORD })).rejects.toThrow(UserInputError);
    expect(() => parseRole('superuser')).toThrow('Unknown role "superuser": use owner, admin, editor, viewer.');
    expect(parseRole('viewer')).toBe('viewer');
    await expect(setRole(tdb.db, 'nobody@example.com', 'admin')).rejects.toThrow(
      'No user with the email nobody@example.com. `khaosflow users list` shows them.',
    );
    expect(await findUserByEmail(tdb.db, 'short@example.com')).toBeUndefined();
  });

  it('change role', async () => {
    const user = await newUser();
    expect(await setRole(tdb.db, user.email.toUpperCase(), 'viewer')).toMatchObject({ id: user.id, role: 'viewer' });
    expect((await findUserByEmail(tdb.db, user.email))?.role).toBe('viewer');
  });
});

describe('console sessions', () => {
  const rawSessions = async () => JSON.stringify((await tdb.pool.query('select s::text as row from khaosflow.sessions s')).rows);

  it('find their user by token while the database keeps only its SHA-256', async () => {
    const user = await newUser();
    const { token, expiresAt } = await createSession(tdb.db, user.id, { userAgent: 'vitest', ip: '127.0.0.1' });
    expect(expiresAt.getTime()).toBeGreaterThan(Date.now() + 6 * 24 * 3600_000);
    expect(await sessionUser(tdb.db, token)).toMatchObject({ id: user.id, email: user.email });
    expect((await findUserByEmail(tdb.db, user.email))?.last_login_at).toBeInstanceOf(Date);

    const row = await tdb.db.selectFrom('khaosflow.sessions').selectAll().where('user_id', '=', user.id).executeTakeFirstOrThrow();
    expect(row.token_hash.equals(createHash('sha256').update(token).digest())).toBe(true);
    const dump = await rawSessions();
    expect(dump).toContain(row.token_hash.toString('hex'));
    expect(dump).not.toContain(token);
    expect(dump).not.toContain(Buffer.from(token, 'base64url').toString('hex'));

    expect(await sessionUser(tdb.db, token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A'))).toBeNull();
    expect(await sessionUser(tdb.db, undefined)).toBeNull();
    await endSession(tdb.db, token);
    expect(await sessionUser(tdb.db, token)).toBeNull();
  });

  it('end when expired or idle for longer than the idle timeout', async () => {
    const user = await newUser();
    const expired = await createSession(tdb.db, user.id);
    const idle = await createSession(tdb.db, user.id);
    const fresh = await createSession(tdb.db, user.id);
    const hash = (t: string) => createHash('sha256').update(t).digest();
    await tdb.pool.query(`update khaosflow.sessions set expires_at = now() - interval '1 second' where token_hash = $1`, [
      hash(expired.token),
    ]);
    await tdb.pool.query(`update khaosflow.sessions set last_seen_at = now() - make_interval(secs => $2) where token_hash = $1`, [
      hash(idle.token),
      IDLE_TIMEOUT_MS / 1000 + 1,
    ]);
    expect(await sessionUser(tdb.db, expired.token)).toBeNull();
    expect(await sessionUser(tdb.db, idle.token)).toBeNull();
    expect(await sessionUser(tdb.db, fresh.token)).toMatchObject({ id: user.id });

    // Used a while ago but within the idle timeout: still valid, and use moves last_seen_at on.
    await tdb.pool.query(`update khaosflow.sessions set last_seen_at = now() - interval '1 hour' where token_hash = $1`, [
      hash(fresh.token),
    ]);
    expect(await sessionUser(tdb.db, fresh.token)).toMatchObject({ id: user.id });
    const { rows } = await tdb.pool.query(
      `select now() - last_seen_at < interval '1 minute' as touched from khaosflow.sessions where token_hash = $1`,
      [hash(fresh.token)],
    );
    expect(rows[0].touched).toBe(true);
  });

  it('end when the user is disabled, and a disabled user has no session until enabled and logged in again', async () => {
    const user = await newUser();
    const { token } = await createSession(tdb.db, user.id);
    expect(await setDisabled(tdb.db, user.email, true)).toMatchObject({ disabled_at: expect.any(Date) });
    expect(await sessionUser(tdb.db, token)).toBeNull();
    expect(await tdb.db.selectFrom('khaosflow.sessions').select('user_id').where('user_id', '=', user.id).execute()).toEqual([]);
    expect(await setDisabled(tdb.db, user.email, false)).toMatchObject({ disabled_at: null });
    expect(await sessionUser(tdb.db, token)).toBeNull();
  });

  it('end when the password is set, and only the new password is accepted by its hash', async () => {
    const user = await newUser();
    const other = await newUser();
    const mine = await createSession(tdb.db, user.id);
    const theirs = await createSession(tdb.db, other.id);
    await expect(setPassword(tdb.db, user.email, 'short')).rejects.toThrow('A password needs at least 10 characters.');
    expect(await sessionUser(tdb.db, mine.token)).not.toBeNull();
    await setPassword(tdb.db, user.email, 'a brand new password');
    expect(await sessionUser(tdb.db, mine.token)).toBeNull();
    expect(await sessionUser(tdb.db, theirs.token)).toMatchObject({ id: other.id });
  });

  it('are not started for a login whose password changed, or whose user was disabled, during the hash check', async () => {
    const user = await newUser();
    const verified = (await findUserByEmail(tdb.db, user.email))!.password_hash;
    await setPassword(tdb.db, user.email, 'changed meanwhile!');
    await expect(createSession(tdb.db, user.id, { passwordHash: verified })).rejects.toThrow(SessionRefused);
    const current = (await findUserByEmail(tdb.db, user.email))!.password_hash;
    await setDisabled(tdb.db, user.email, true);
    await expect(createSession(tdb.db, user.id, { passwordHash: current })).rejects.toThrow(SessionRefused);
    await setDisabled(tdb.db, user.email, false);
    const { token } = await createSession(tdb.db, user.id, { passwordHash: current });
    expect(await sessionUser(tdb.db, token)).toMatchObject({ id: user.id });
  });

  it('keep at least one enabled owner', async () => {
    const db = await createTestDatabase();
    try {
      const boss = await createUser(db.db, { email: 'boss@example.com', password: PASSWORD, role: 'owner' });
      await expect(setRole(db.db, 'BOSS@example.com', 'admin')).rejects.toThrow(
        'boss@example.com is the only owner. Make another user owner first',
      );
      await expect(setDisabled(db.db, boss.email, true)).rejects.toThrow('is the only owner');
      await createUser(db.db, { email: 'second@example.com', password: PASSWORD, role: 'owner' });
      expect(await setRole(db.db, boss.email, 'admin')).toMatchObject({ role: 'admin' });
      await expect(setDisabled(db.db, 'second@example.com', true)).rejects.toThrow('second@example.com is the only owner');
    } finally {
      await db.drop();
    }
  });
});
