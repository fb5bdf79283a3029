// `khaosflow users` as an operator runs it: passwords in through standard input only,
// never printed back (nor their hashes), and errors that say what to do.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleAuth, type ConsoleAuth } from '../../server/console-auth/index.js';
import { createSession, sessionUser } from '../../server/console-auth/sessions.js';
import { findUserByEmail } from '../../server/console-auth/users.js';
import { CLI_TEST_TIMEOUT_MS, runCli } from '../helpers/cli.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

let tdb: TestDatabase;
let env: Record<string, string>;
let auth: ConsoleAuth;
beforeAll(async () => {
  tdb = await createTestDatabase();
  env = { DATABASE_URL: tdb.url, KHAOSFLOW_HOME: fs.mkdtempSync(path.join(os.tmpdir(), 'kf-users-')), LOG_LEVEL: 'warn' };
  auth = createConsoleAuth(tdb.db, randomBytes(32));
});
afterAll(() => tdb.drop());

const cli = (args: string[], input?: string) => runCli(args, { env, ...(input === undefined ? {} : { input }) });
// Fewer than 20 failures in this file, so one address stays under the login throttle.
const login = (email: string, password: string) => auth.login(email, password, { ip: '10.9.0.1', secure: false });

describe('khaosflow users', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('creates the first user as owner and later ones as editors, reading the password from standard input', async () => {
    const first = await cli(['users', 'create', 'Ann@Example.com', '--name', 'Ann Admin'], 'first owner password\n');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toBe('Created user 1: Ann@Example.com (Ann Admin), role owner.\n');
    // One trailing newline is stripped, so the password is exactly what was typed.
    expect(await login('ann@example.com', 'first owner password')).toMatchObject({ ok: true, user: { role: 'owner' } });
    expect(await login('ann@example.com', 'first owner password\n')).toMatchObject({ ok: false });

    const second = await cli(['users', 'create', 'bob@example.com'], 'bob password 1234');
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('bob@example.com, role editor');
    const viewer = await cli(['users', 'create', 'cy@example.com', '--role', 'viewer'], 'cy password 12345\n');
    expect(viewer.stdout).toContain('cy@example.com, role viewer');
    for (const out of [first, second, viewer]) expect(out.stdout + out.stderr).not.toMatch(/password|scrypt\$/);
  });

  it('lists users as a table and as JSON, without password hashes', async () => {
    const table = await cli(['users', 'list']);
    expect(table.code, table.stderr).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^EMAIL\s+NAME\s+ROLE\s+CREATED\s+LAST_LOGIN\s+DISABLED$/);
    expect(lines[1]).toMatch(/^Ann@Example\.com\s+Ann Admin\s+owner\s+\d{4}-\d\d-\d\dT[\d:]+Z\s+\d{4}-\d\d-\d\dT[\d:]+Z\s+-$/);
    expect(lines).toHaveLength(4);

    const json = await cli(['users', 'list', '--json']);
    const users = JSON.parse(json.stdout) as Array<Record<string, unknown>>;
    expect(users.map((u) => [u.email, u.role])).toEqual([
      ['Ann@Example.com', 'owner'],
      ['bob@example.com', 'editor'],
      ['cy@example.com', 'viewer'],
    ]);
    expect(users[0]).not.toHaveProperty('password_hash');
    expect(json.stdout + table.stdout).not.toContain('scrypt$');
  });

  it('changes roles, and disable stops logins and ends sessions until enable', async () => {
    const role = await cli(['users', 'set-role', 'BOB@example.com', 'admin']);
    expect(role.code, role.stderr).toBe(0);
    expect((await findUserByEmail(tdb.db, 'bob@example.com'))?.role).toBe('admin');

    const bob = (await findUserByEmail(tdb.db, 'bob@example.com'))!;
    const { token } = await createSession(tdb.db, bob.id);
    const disable = await cli(['users', 'disable', 'bob@example.com']);
    expect(disable).toMatchObject({ code: 0, stdout: 'bob@example.com disabled; their sessions have ended.\n' });
    expect(await sessionUser(tdb.db, token)).toBeNull();
    expect(await login('bob@example.com', 'bob password 1234')).toMatchObject({ ok: false, status: 401 });
    expect(JSON.parse((await cli(['users', 'list', '--json'])).stdout)[1].disabled_at).toEqual(expect.any(String));

    expect((await cli(['users', 'enable', 'bob@example.com'])).code).toBe(0);
    expect(await login('bob@example.com', 'bob password 1234')).toMatchObject({ ok: true, user: { role: 'admin' } });
  });

  it("sets a password from standard input and ends the user's sessions", async () => {
    const cy = (await findUserByEmail(tdb.db, 'cy@example.com'))!;
    const { token } = await createSession(tdb.db, cy.id);
    const set = await cli(['users', 'set-password', 'cy@example.com'], 'a new cy password\n');
    expect(set.code, set.stderr).toBe(0);
    expect(await sessionUser(tdb.db, token)).toBeNull();
    expect(await login('cy@example.com', 'cy password 12345')).toMatchObject({ ok: false });
    expect(await login('cy@example.com', 'a new cy password')).toMatchObject({ ok: true });
  });

  it('refuses a password on the command line (exit 2) without creating or changing anyone', async () => {
    const [create, reset] = await Promise.all([
      cli(['users', 'create', 'dee@example.com', 'dee password on argv'], 'ignored password\n'),
      cli(['users', 'set-password', 'cy@example.com', 'cy password on argv'], 'ignored password\n'),
    ]);
    for (const out of [create, reset]) {
      expect(out.code).toBe(2);
      expect(out.stderr).toContain('the password is read from standard input, never from the command line');
      expect(out.stderr).not.toContain('on argv');
    }
    expect(await findUserByEmail(tdb.db, 'dee@example.com')).toBeUndefined();
    expect(await login('cy@example.com', 'a new cy password')).toMatchObject({ ok: true });
  });

  it('prints one line saying what to do and exits 1 for bad input, 2 for bad usage', async () => {
    const [badEmail, shortPassword, badRole, duplicate, unknown, empty, missing] = await Promise.all([
      cli(['users', 'create', 'not-an-email'], 'long enough password'),
      cli(['users', 'create', 'dee@example.com'], 'short\n'),
      cli(['users', 'set-role', 'bob@example.com', 'superuser']),
      cli(['users', 'create', 'ANN@example.com'], 'another long password'),
      cli(['users', 'disable', 'nobody@example.com']),
      cli(['users', 'create', 'dee@example.com'], ''),
      cli(['users', 'set-role', 'bob@example.com']),
    ]);
    expect(badEmail).toMatchObject({
      code: 1,
      stderr: 'khaosflow: "not-an-email" is not an email address: use one like name@example.com.\n',
    });
    expect(shortPassword).toMatchObject({ code: 1, stderr: 'khaosflow: A password needs at least 10 characters.\n' });
    expect(badRole).toMatchObject({ code: 1, stderr: 'khaosflow: Unknown role "superuser": use owner, admin, editor, viewer.\n' });
    expect(duplicate).toMatchObject({ code: 1, stderr: 'khaosflow: A user with the email ANN@example.com already exists.\n' });
    expect(unknown).toMatchObject({
      code: 1,
      stderr: 'khaosflow: No user with the email nobody@example.com. `khaosflow users list` shows them.\n',
    });
    expect(empty).toMatchObject({ code: 1, stderr: expect.stringContaining('No password on standard input: pipe it in') });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("missing required argument 'role'");
    expect(await findUserByEmail(tdb.db, 'dee@example.com')).toBeUndefined();
  });
});
