// API authentication: every /api route (but /api/version) needs an API key with the
// route's scope, sent as `Authorization: Bearer kf_...` or `X-API-Key: kf_...`.
import type Koa from 'koa';
import type { ApiKeyScope } from '../../db/schema.js';
import { verifyApiKey } from '../api-keys/verify.js';
import type { Services } from '../services.js';
import { HttpError } from '../core/http-error.js';

export function presentedKey(ctx: Koa.Context, header = 'x-api-key'): string | undefined {
  return ctx.get(header) || ctx.get('authorization') || undefined;
}

/**
 * @param workflowOf which workflow the request acts on, for keys limited to one workflow.
 * @example router.get('/api/runs/:id', requireApiKey(services, 'read'), handler)
 */
export function requireApiKey(
  services: Services,
  scope: ApiKeyScope,
  workflowOf?: (ctx: Koa.Context) => string | undefined,
): Koa.Middleware {
  return async (ctx, next) => {
    const workflowSlug = workflowOf?.(ctx);
    const check = await verifyApiKey(services.db, presentedKey(ctx), { scope, ...(workflowSlug ? { workflowSlug } : {}) });
    if (!check.ok) {
      const status = check.reason === 'malformed' || check.reason === 'unknown' || check.reason === 'revoked' ? 401 : 403;
      throw new HttpError(status, 'unauthorized', check.message, undefined, status === 401 ? { 'WWW-Authenticate': 'Bearer' } : undefined);
    }
    ctx.state.apiKey = check.key;
    await next();
  };
}
