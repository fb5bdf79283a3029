// Console sessions. The token (32 random bytes) lives only in the browser's HttpOnly
// cookie; the database keeps its SHA-256. A session ends after 12 hours without use
// or 7 days after login, whichever comes first, and when the user is disabled or
// changes password.
import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../db/client.js';
import type { ConsoleUser } from './users.js';

export const IDLE_TIMEOUT_MS = 12 * 60 * 60 * 1000;
export const MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;
/** last_seen_at is written at most this often, so page views are not all writes. */
const TOUCH_EVERY_MS = 60 * 1000;

const hashToken = (token: string) => createHash('sha256').update(token).digest();

export class SessionRefused extends Error {}

/**
 * Starts a session for an enabled user. With `passwordHash` (a login), the session is
 * created only if the password is still the one just verified: a password change or a
 * disable that lands during the slow hash check wins.
 * @throws SessionRefused when the user is disabled (or the password changed)
 */
export async function createSession(
  db: Db,
  userId: number,
  meta: { userAgent?: string | undefined; ip?: string | undefined; passwordHash?: string } = {},
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + MAX_AGE_MS);
  const inserted = await db
    .insertInto('khaosflow.sessions')
    .columns(['token_hash', 'user_id', 'expires_at', 'user_agent', 'ip'])
    .expression(
      db
        .selectFrom('khaosflow.users')
        .select([
          sql<Buffer>`${hashToken(token)}::bytea`.as('token_hash'),
          'id as user_id',
          sql<Date>`${expiresAt}::timestamptz`.as('expires_at'),
          sql<string | null>`${meta.userAgent?.slice(0, 300) ?? null}::text`.as('user_agent'),
          sql<string | null>`${meta.ip ?? null}::text`.as('ip'),
        ])
        .where('id', '=', userId)
        .where('disabled_at', 'is', null)
        .$if(meta.passwordHash !== undefined, (qb) => qb.where('password_hash', '=', meta.passwordHash!)),
    )
    .returning('user_id')
    .executeTakeFirst();
  if (!inserted) throw new SessionRefused('The user is disabled or its password changed meanwhile.');
  await db.updateTable('khaosflow.users').set({ last_login_at: new Date() }).where('id', '=', userId).execute();
  // Expired sessions of anyone are cleared on login, so the table does not grow forever.
  await db.deleteFrom('khaosflow.sessions').where('expires_at', '<', new Date()).execute();
  return { token, expiresAt };
}

/** The user a session token belongs to, or null when it is unknown, expired, idle too long or the user is disabled. */
export async function sessionUser(db: Db, token: string | undefined): Promise<ConsoleUser | null> {
  if (!token || token.length > 100) return null;
  const row = await db
    .selectFrom('khaosflow.sessions as s')
    .innerJoin('khaosflow.users as u', 'u.id', 's.user_id')
    .select(['u.id', 'u.email', 'u.name', 'u.role', 'u.created_at', 'u.last_login_at', 'u.disabled_at', 's.last_seen_at', 's.token_hash'])
    .where('s.token_hash', '=', hashToken(token))
    .where('s.expires_at', '>', sql<Date>`now()`)
    .where('s.last_seen_at', '>', sql<Date>`now() - make_interval(secs => ${IDLE_TIMEOUT_MS / 1000})`)
    .where('u.disabled_at', 'is', null)
    .executeTakeFirst();
  if (!row) return null;
  const { last_seen_at, token_hash, ...user } = row;
  if (Date.now() - last_seen_at.getTime() > TOUCH_EVERY_MS) {
    await db.updateTable('khaosflow.sessions').set({ last_seen_at: sql`now()` }).where('token_hash', '=', token_hash).execute();
  }
  return user;
}

export async function endSession(db: Db, token: string | undefined): Promise<void> {
  if (!token) return;
  await db.deleteFrom('khaosflow.sessions').where('token_hash', '=', hashToken(token)).execute();
}
