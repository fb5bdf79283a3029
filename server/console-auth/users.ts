// Console user accounts: create, list, change password or role, disable. Emails are
// unique regardless of case. Listings never include password hashes.
import { sql } from 'kysely';
import type { Db } from '../../db/client.js';
import type { UserRole } from '../../db/schema.js';
import { hashPassword, passwordProblem } from './passwords.js';

import { USER_ROLES } from './roles.js';

export { USER_ROLES };

export interface ConsoleUser {
  id: number;
  email: string;
  name: string;
  role: UserRole;
  created_at: Date;
  last_login_at: Date | null;
  disabled_at: Date | null;
}

const PUBLIC_COLUMNS = ['id', 'email', 'name', 'role', 'created_at', 'last_login_at', 'disabled_at'] as const;

export class UserInputError extends Error {}

function checkEmail(email: string): string {
  const trimmed = email.trim();
  if (!/^[^\s@]+@[^\s@]+$/.test(trimmed)) throw new UserInputError(`"${email}" is not an email address: use one like name@example.com.`);
  return trimmed;
}

export function parseRole(role: string): UserRole {
  if (!USER_ROLES.includes(role as UserRole)) throw new UserInputError(`Unknown role "${role}": use ${USER_ROLES.join(', ')}.`);
  return role as UserRole;
}

export async function countUsers(db: Db): Promise<number> {
  const row = await db
    .selectFrom('khaosflow.users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** @throws UserInputError for a bad email, role or password, or an email already in use */
export async function createUser(db: Db, input: { email: string; name?: string; password: string; role?: UserRole }): Promise<ConsoleUser> {
  const email = checkEmail(input.email);
  const problem = passwordProblem(input.password);
  if (problem) throw new UserInputError(problem);
  const row = await db
    .insertInto('khaosflow.users')
    .values({ email, name: input.name?.trim() ?? '', password_hash: await hashPassword(input.password), role: input.role ?? 'editor' })
    .onConflict((oc) => oc.expression(sql`lower(email)`).doNothing())
    .returning(PUBLIC_COLUMNS)
    .executeTakeFirst();
  if (!row) throw new UserInputError(`A user with the email ${email} already exists.`);
  return row;
}

export async function listUsers(db: Db): Promise<ConsoleUser[]> {
  return db.selectFrom('khaosflow.users').select(PUBLIC_COLUMNS).orderBy('id').execute();
}

export async function findUserByEmail(db: Db, email: string): Promise<(ConsoleUser & { password_hash: string }) | undefined> {
  return db
    .selectFrom('khaosflow.users')
    .select([...PUBLIC_COLUMNS, 'password_hash'])
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.trim().toLowerCase()))
    .executeTakeFirst();
}

async function updateByEmail(db: Db, email: string, values: Record<string, unknown>): Promise<ConsoleUser> {
  const row = await db
    .updateTable('khaosflow.users')
    .set(values)
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.trim().toLowerCase()))
    .returning(PUBLIC_COLUMNS)
    .executeTakeFirst();
  if (!row) throw new UserInputError(`No user with the email ${email}. \`khaosflow users list\` shows them.`);
  return row;
}

/** Sets a new password and ends every session of the user. */
export async function setPassword(db: Db, email: string, password: string): Promise<ConsoleUser> {
  const problem = passwordProblem(password);
  if (problem) throw new UserInputError(problem);
  const user = await updateByEmail(db, email, { password_hash: await hashPassword(password) });
  await db.deleteFrom('khaosflow.sessions').where('user_id', '=', user.id).execute();
  return user;
}

/** Refuses a change that would leave no enabled owner: nobody could manage users any more. */
async function keepAnOwner(db: Db, email: string): Promise<void> {
  const owners = await db
    .selectFrom('khaosflow.users')
    .select('email')
    .where('role', '=', 'owner')
    .where('disabled_at', 'is', null)
    .execute();
  if (owners.length === 1 && owners[0]!.email.toLowerCase() === email.trim().toLowerCase()) {
    throw new UserInputError(
      `${owners[0]!.email} is the only owner. Make another user owner first (\`khaosflow users set-role <email> owner\`).`,
    );
  }
}

export async function setRole(db: Db, email: string, role: UserRole): Promise<ConsoleUser> {
  if (role !== 'owner') await keepAnOwner(db, email);
  return updateByEmail(db, email, { role });
}

/** Disabled users cannot log in and their sessions end at once; enabling undoes the first. */
export async function setDisabled(db: Db, email: string, disabled: boolean): Promise<ConsoleUser> {
  if (disabled) await keepAnOwner(db, email);
  const user = await updateByEmail(db, email, { disabled_at: disabled ? new Date() : null });
  if (disabled) await db.deleteFrom('khaosflow.sessions').where('user_id', '=', user.id).execute();
  return user;
}
