// What the console's routes use to log people in and out. Built once per HTTP app and
// handed to React Router through its request context (server/http/console-context.ts).
import { sql } from 'kysely';
import type { Db } from '../../db/client.js';
import { clearedSessionCookie, readCookie, sessionCookie } from './cookie.js';
import { DUMMY_HASH, verifyPassword } from './passwords.js';
import { createSession, endSession, MAX_AGE_MS, SessionRefused, sessionUser } from './sessions.js';
import { isSetupToken } from './setup-token.js';
import { LoginThrottle } from './throttle.js';
import { countUsers, createUser, findUserByEmail, setPassword, UserInputError, type ConsoleUser } from './users.js';

export type { ConsoleUser } from './users.js';

export interface RequestMeta {
  ip: string;
  userAgent?: string | undefined;
  /** The console is reached over HTTPS (or KHAOSFLOW_PUBLIC_URL says so): cookies get Secure. */
  secure: boolean;
}

export type AuthResult = { ok: true; cookie: string; user: ConsoleUser } | { ok: false; status: number; message: string };

export interface ConsoleAuth {
  needsSetup(): Promise<boolean>;
  isSetupToken(token: string | null | undefined): boolean;
  /** Creates the owner account, only while no user exists and with the setup token. */
  setup(input: { token: string; email: string; name: string; password: string }, meta: RequestMeta): Promise<AuthResult>;
  login(email: string, password: string, meta: RequestMeta): Promise<AuthResult>;
  /** Checks a logged-in user's current password (before a change), under the same throttle as logins. */
  checkPassword(email: string, password: string, meta: RequestMeta): Promise<{ ok: true } | { ok: false; status: number; message: string }>;
  /**
   * Changes a logged-in user's password after checking the current one. Every session of
   * the user ends (other browsers too); the answer's cookie is a fresh session for this one.
   */
  changePassword(user: ConsoleUser, current: string, next: string, meta: RequestMeta): Promise<AuthResult>;
  userFromCookie(cookieHeader: string | null | undefined): Promise<ConsoleUser | null>;
  /** Ends the session; returns the Set-Cookie value that clears the cookie. */
  logout(cookieHeader: string | null | undefined, meta: RequestMeta): Promise<string>;
}

export function createConsoleAuth(db: Db, masterKey: Buffer): ConsoleAuth {
  const throttle = new LoginThrottle(db);
  const startSession = async (user: ConsoleUser, meta: RequestMeta, passwordHash?: string): Promise<AuthResult> => {
    let token: string;
    try {
      ({ token } = await createSession(db, user.id, {
        userAgent: meta.userAgent,
        ip: meta.ip,
        ...(passwordHash === undefined ? {} : { passwordHash }),
      }));
    } catch (err) {
      // The password changed or the user was disabled while the password was being checked.
      if (err instanceof SessionRefused) return { ok: false, status: 401, message: 'Wrong email or password.' };
      throw err;
    }
    return { ok: true, user, cookie: sessionCookie(token, MAX_AGE_MS / 1000, meta.secure) };
  };
  const checkPassword: ConsoleAuth['checkPassword'] = async (email, password, meta) => {
    const wait = await throttle.retryAfter(email, meta.ip);
    if (wait > 0)
      return {
        ok: false,
        status: 429,
        message: `Too many wrong passwords. Try again in ${wait < 60 ? `${wait} second(s)` : `${Math.ceil(wait / 60)} minute(s)`}.`,
      };
    const row = await findUserByEmail(db, email);
    if (!row || !(await verifyPassword(password, row.password_hash))) {
      await throttle.failed(email, meta.ip);
      return { ok: false, status: 403, message: 'The current password is wrong.' };
    }
    return { ok: true };
  };
  return {
    async needsSetup() {
      return (await countUsers(db)) === 0;
    },
    isSetupToken: (token) => isSetupToken(masterKey, token),
    async setup(input, meta) {
      if (!isSetupToken(masterKey, input.token)) {
        return { ok: false, status: 403, message: 'The setup link is not valid. Use the link KhaosFlow printed in its log at start-up.' };
      }
      try {
        // Two setups at once: the lock makes the second see the first's owner.
        const user = await db.transaction().execute(async (trx) => {
          await sql`select pg_advisory_xact_lock(hashtext('khaosflow.console_setup'))`.execute(trx);
          if ((await countUsers(trx)) > 0) return null;
          return createUser(trx, { email: input.email, name: input.name, password: input.password, role: 'owner' });
        });
        if (!user) return { ok: false, status: 409, message: 'KhaosFlow is already set up. Log in instead.' };
        return startSession(user, meta);
      } catch (err) {
        if (err instanceof UserInputError) return { ok: false, status: 422, message: err.message };
        throw err;
      }
    },
    async login(email, password, meta) {
      const wait = await throttle.retryAfter(email, meta.ip);
      if (wait > 0)
        return {
          ok: false,
          status: 429,
          message: `Too many failed logins. Try again in ${wait < 60 ? `${wait} second(s)` : `${Math.ceil(wait / 60)} minute(s)`}.`,
        };
      const row = await findUserByEmail(db, email);
      // Verify against a dummy hash for unknown emails, so timing does not tell which emails exist.
      const matches = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
      if (!row || !matches || row.disabled_at) {
        await throttle.failed(email, meta.ip);
        return { ok: false, status: 401, message: 'Wrong email or password.' };
      }
      await throttle.succeeded(email, meta.ip);
      const { password_hash: passwordHash, ...user } = row;
      return startSession(user, meta, passwordHash);
    },
    checkPassword,
    async changePassword(user, current, next, meta) {
      const checked = await checkPassword(user.email, current, meta);
      if (!checked.ok) return checked;
      try {
        return startSession(await setPassword(db, user.email, next), meta);
      } catch (err) {
        if (err instanceof UserInputError) return { ok: false, status: 422, message: err.message };
        throw err;
      }
    },
    userFromCookie: (header) => sessionUser(db, readCookie(header)),
    async logout(header, meta) {
      await endSession(db, readCookie(header));
      return clearedSessionCookie(meta.secure);
    },
  };
}
