// The login throttle in PostgreSQL (issue 18, finding 6): shared by every process,
// keyed on the account from an address (with backoff), on the address, and on the
// account from anywhere (a much higher limit), so a guesser at one address cannot lock
// the owner out at another. Old failures are backdated in the table to stand for time.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleAuth } from '../../server/console-auth/index.js';
import { LoginThrottle } from '../../server/console-auth/throttle.js';
import { createUser } from '../../server/console-auth/users.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

let tdb: TestDatabase;
const PASSWORD = 'correct horse battery';
beforeAll(async () => {
  tdb = await createTestDatabase();
  for (const email of ['owner@example.com', 'ann@example.com']) await createUser(tdb.db, { email, password: PASSWORD });
});
afterAll(() => tdb.drop());

const meta = (ip: string) => ({ ip, userAgent: 'vitest', secure: false });
const fresh = () => `${randomBytes(4).toString('hex')}@example.com`;
/** Moves every failure of `key` back by `seconds`, as if that much time had passed. */
const age = (key: string, seconds: number) =>
  sql`update khaosflow.login_failures set failed_at = failed_at - make_interval(secs => ${seconds}) where key = ${key}`.execute(tdb.db);

describe('login throttle', () => {
  it('is shared by every process: failures counted by one web process slow the next attempt at another', async () => {
    const first = createConsoleAuth(tdb.db, randomBytes(32));
    const second = createConsoleAuth(tdb.db, randomBytes(32));
    for (let i = 0; i < 5; i++) expect(await first.login('ann@example.com', `guess ${i}`, meta('10.9.0.1'))).toMatchObject({ status: 401 });
    expect(await second.login('ann@example.com', PASSWORD, meta('10.9.0.1'))).toMatchObject({ ok: false, status: 429 });
  });

  it('does not lock the owner out from their own address when someone guesses from another', async () => {
    const auth = createConsoleAuth(tdb.db, randomBytes(32));
    for (let i = 0; i < 10; i++) await auth.login('owner@example.com', `guess ${i}`, meta('203.0.113.66'));
    expect(await auth.login('owner@example.com', PASSWORD, meta('203.0.113.66'))).toMatchObject({ status: 429 });
    expect(await auth.login('Owner@Example.com', PASSWORD, meta('10.0.0.1'))).toMatchObject({ ok: true });
  });

  it('backs off from 1 minute, doubling to at most 15, for an account from one address', async () => {
    const throttle = new LoginThrottle(tdb.db);
    const email = fresh();
    for (let i = 0; i < 4; i++) await throttle.failed(email, '10.1.0.1');
    expect(await throttle.retryAfter(email, '10.1.0.1')).toBe(0);
    await throttle.failed(email, '10.1.0.1');
    const first = await throttle.retryAfter(email, '10.1.0.1');
    expect(first).toBeGreaterThan(55);
    expect(first).toBeLessThanOrEqual(60);
    await age(`a:${email}|10.1.0.1`, 61);
    expect(await throttle.retryAfter(email, '10.1.0.1')).toBe(0);
    await throttle.failed(email, '10.1.0.1');
    expect(await throttle.retryAfter(email, '10.1.0.1')).toBeGreaterThan(115);
    for (let i = 0; i < 5; i++) await throttle.failed(email, '10.1.0.1');
    expect(await throttle.retryAfter(email, '10.1.0.1')).toBeLessThanOrEqual(15 * 60);
    expect(await throttle.retryAfter(email, '10.1.0.2')).toBe(0);
    // A right password there forgives that address only.
    await throttle.succeeded(email.toUpperCase(), '10.1.0.1');
    expect(await throttle.retryAfter(email, '10.1.0.1')).toBe(0);
  });

  it('refuses an address after 20 failures, whichever accounts they tried, until the window passes', async () => {
    const throttle = new LoginThrottle(tdb.db);
    for (let i = 0; i < 20; i++) await throttle.failed(fresh(), '10.2.0.9');
    const wait = await throttle.retryAfter(fresh(), '10.2.0.9');
    expect(wait).toBeGreaterThan(14 * 60);
    expect(await throttle.retryAfter(fresh(), '10.2.0.10')).toBe(0);
    await age('i:10.2.0.9', 15 * 60);
    expect(await throttle.retryAfter(fresh(), '10.2.0.9')).toBe(0);
  });

  it('refuses an account after 100 failures spread over many addresses', async () => {
    const throttle = new LoginThrottle(tdb.db);
    const email = fresh();
    for (let i = 0; i < 100; i++) await throttle.failed(email, `10.3.${Math.floor(i / 200)}.${i % 200}`);
    expect(await throttle.retryAfter(email, '10.4.0.1')).toBeGreaterThan(0);
  });
});
