// Slows password guessing, in PostgreSQL so every web process and restart shares it
// (issue 18, finding 6). Failures count within a 15-minute window against three keys:
//   - the account from this address: from the 5th failure on, attempts wait, doubling
//     from 1 minute up to 15 minutes (the guesser is slowed to a few tries an hour);
//   - the address: 20 failures for any accounts and it waits out the window;
//   - the account from anywhere: 100 failures, against guessing spread over many
//     addresses.
// A guesser at one address therefore does not lock the owner out at another; only a
// spread attack of 100 failures in 15 minutes does, and only for the window.
import { sql } from 'kysely';
import type { Db } from '../../db/client.js';

const WINDOW_S = 15 * 60;
const LIMITS = { account: 5, address: 20, anywhere: 100 };
const FIRST_WAIT_S = 60;

/** The same normalisation as the user lookup, so " Ann@X.com" counts against ann@x.com. */
const normal = (email: string) => email.trim().toLowerCase();
const keys = (email: string, ip: string) => ({
  account: `a:${normal(email)}|${ip}`,
  address: `i:${ip}`,
  anywhere: `e:${normal(email)}`,
});

export class LoginThrottle {
  constructor(private readonly db: Db) {}

  /** Seconds to wait before trying again, or 0 when an attempt is allowed. */
  async retryAfter(email: string, ip: string): Promise<number> {
    const k = keys(email, ip);
    const { rows } = await sql<{ key: string; failures: number; last_ago: number; oldest_ago: number; nth_ago: number | null }>`
      with recent as (
        select key, extract(epoch from now() - failed_at)::float8 as ago,
               row_number() over (partition by key order by failed_at desc) as nth
        from khaosflow.login_failures
        where key in (${k.account}, ${k.address}, ${k.anywhere}) and failed_at > now() - make_interval(secs => ${WINDOW_S})
      )
      select key, count(*)::int as failures, min(ago) as last_ago, max(ago) as oldest_ago,
             max(ago) filter (where (key = ${k.address} and nth = ${LIMITS.address}) or (key = ${k.anywhere} and nth = ${LIMITS.anywhere})) as nth_ago
      from recent group by key`.execute(this.db);
    let wait = 0;
    for (const row of rows) {
      if (row.key === k.account && row.failures >= LIMITS.account) {
        const backoff = Math.min(WINDOW_S, FIRST_WAIT_S * 2 ** (row.failures - LIMITS.account));
        wait = Math.max(wait, backoff - row.last_ago);
      } else if (row.nth_ago !== null) {
        // The window must pass for the failure that reached the limit.
        wait = Math.max(wait, WINDOW_S - row.nth_ago);
      }
    }
    return wait > 0 ? Math.ceil(wait) : 0;
  }

  async failed(email: string, ip: string): Promise<void> {
    const k = keys(email, ip);
    await sql`insert into khaosflow.login_failures (key) values (${k.account}), (${k.address}), (${k.anywhere})`.execute(this.db);
    // Old rows matter to no one; a failure is the moment to sweep a few out.
    await sql`delete from khaosflow.login_failures where id in (
      select id from khaosflow.login_failures where failed_at < now() - make_interval(secs => ${WINDOW_S}) limit 500)`.execute(this.db);
  }

  /** A right password from this address forgives its failures there (not elsewhere). */
  async succeeded(email: string, ip: string): Promise<void> {
    await sql`delete from khaosflow.login_failures where key = ${keys(email, ip).account}`.execute(this.db);
  }
}
