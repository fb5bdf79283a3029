// Who may call an API route: an API key with the route's scope, or - for the console's
// own pages calling the API from the browser - a console session (the HttpOnly cookie)
// whose role is at least the route's role. A key, when one is sent, decides alone.
// Session requests that change something must come from the console's origin (the
// console's own CSRF rule, console-guard.ts): the cookie is SameSite=Lax, and the
// Origin check refuses what another site's page could still send.
import type Koa from 'koa';
import type { ApiKeyScope } from '../../db/schema.js';
import type { ApiKeyInfo } from '../api-keys/store.js';
import { readCookie } from '../console-auth/cookie.js';
import { USER_ROLES, type UserRole } from '../console-auth/roles.js';
import { sessionUser } from '../console-auth/sessions.js';
import type { ConsoleUser } from '../console-auth/users.js';
import { HttpError } from '../core/http-error.js';
import type { Services } from '../services.js';
import { presentedKey, requireApiKey } from './auth.js';
import { checkSameOrigin } from './console-guard.js';

/** Whether `role` is `least` or stronger (USER_ROLES is strongest first). */
export const roleAtLeast = (role: UserRole, least: UserRole): boolean => USER_ROLES.indexOf(role) <= USER_ROLES.indexOf(least);

/**
 * @param scope what an API key needs (`write` implies `read`)
 * @param role what a console session's user needs
 * @param workflowOf which workflow the request acts on, for keys limited to one workflow
 * @example router.post('/api/workflows/test', requireApiAccess(services, 'write', 'editor'), handler)
 */
export function requireApiAccess(
  services: Services,
  scope: ApiKeyScope,
  role: UserRole,
  workflowOf?: (ctx: Koa.Context) => string | undefined,
): Koa.Middleware {
  const byKey = requireApiKey(services, scope, workflowOf);
  return async (ctx, next) => {
    const cookie = readCookie(ctx.get('cookie'));
    if (presentedKey(ctx) || !cookie) return byKey(ctx, next);
    const user = await sessionUser(services.db, cookie);
    if (!user) {
      throw new HttpError(
        401,
        'unauthorized',
        'Your console session has ended; log in again (or send an API key as "Authorization: Bearer kf_...").',
      );
    }
    if (!roleAtLeast(user.role, role)) {
      throw new HttpError(403, 'forbidden', `Your role (${user.role}) cannot do this; it needs ${role} or above. Ask an owner or admin.`);
    }
    checkSameOrigin(ctx, services.config.publicUrl);
    ctx.state.user = user;
    await next();
  };
}

/** Who made the request, as kept in `created_by` of versions: `api key <name>` or `user <email>`. */
export function requestAuthor(ctx: Koa.Context): string {
  const user = ctx.state.user as ConsoleUser | undefined;
  if (user) return `user ${user.email}`;
  const key = ctx.state.apiKey as ApiKeyInfo | undefined;
  return key ? `api key ${key.name ?? key.prefix}` : 'api';
}

/** Who started a run, as kept on it (`started_by`): `user:<email>` or `api-key:<prefix>`. */
export function requestStarter(ctx: Koa.Context): string {
  const user = ctx.state.user as ConsoleUser | undefined;
  if (user) return `user:${user.email}`;
  const key = ctx.state.apiKey as ApiKeyInfo | undefined;
  return key ? `api-key:${key.prefix}` : 'api';
}
