// The console's view of the request context the server fills in (server/http/console.ts).
import { data, type RouterContextProvider } from 'react-router';
import type { UserRole } from '../server/console-auth/roles.js';
import { consoleContexts } from '../server/http/console-context.js';
import { ServiceError, type ServiceErrorKind } from '../server/service-errors.js';

type Context = Readonly<RouterContextProvider>;

export const servicesOf = (context: Context) => context.get(consoleContexts.services);
export const authOf = (context: Context) => context.get(consoleContexts.auth);
export const userOf = (context: Context) => context.get(consoleContexts.user);
export const requestMetaOf = (context: Context) => context.get(consoleContexts.request);

/**
 * A `next` target that stays on this console (a path, never `//host`, `/\\host` or a
 * URL), else `/`. Browsers drop tabs and newlines in URLs (`/\t/evil.example` becomes
 * `//evil.example`), so the target is resolved against a fixed origin and compared.
 */
export function localPath(next: string | null | undefined): string {
  if (!next?.startsWith('/')) return '/';
  const base = 'http://console.invalid';
  let resolved: URL;
  try {
    resolved = new URL(next, base);
  } catch {
    return '/';
  }
  const controlOrBackslash = [...next].some((ch) => ch.charCodeAt(0) < 0x20 || ch === '\\');
  if (resolved.origin !== base || controlOrBackslash) return '/';
  return `${resolved.pathname}${resolved.search}${resolved.hash}`;
}

const RANK: Record<UserRole, number> = { viewer: 0, editor: 1, admin: 2, owner: 3 };

/** Throws a 403 answer unless the logged-in user has at least `role` (viewer < editor < admin < owner). */
export function requireRole(context: Context, role: UserRole, doing: string): void {
  const user = userOf(context);
  if (!user || RANK[user.role] < RANK[role]) {
    throw data(
      {
        error: `Your role (${user?.role ?? 'none'}) cannot ${doing}; it needs ${role} or above. An owner can change roles with \`khaosflow users set-role\`.`,
      },
      { status: 403 },
    );
  }
}

const STATUS: Record<ServiceErrorKind, number> = { not_found: 404, conflict: 409, invalid: 422 };

/**
 * A service's refusal as the console's answer (404 / 409 / 422 with `body(err)`); anything else is rethrown.
 * @example catch (err) { return refused(err, (e) => ({ error: e.message })); }
 */
export function refused<T>(err: unknown, body: (refusal: ServiceError) => T) {
  if (!(err instanceof ServiceError)) throw err;
  return data(body(err), { status: STATUS[err.kind] });
}

/** For loaders: the service's answer, or the refusal thrown as an error page (a missing run or workflow is a 404). */
export async function orErrorPage<T>(answer: Promise<T>): Promise<T> {
  try {
    return await answer;
  } catch (err) {
    throw refused(err, (e) => e.message);
  }
}
