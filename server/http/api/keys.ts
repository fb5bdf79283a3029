// /api/keys: create (the key is shown once), list (`read`) and revoke (`write`) API keys.
import Router from '@koa/router';
import type { Services } from '../../services.js';
import { createKey, listKeys, revokeKey } from '../../settings/api-keys.js';
import { requireApiKey } from '../auth.js';
import { readJsonBody } from '../../core/http-body.js';

export function apiKeyRoutes(services: Services): Router {
  const router = new Router({ prefix: '/api/keys' });
  router.get('/', requireApiKey(services, 'read'), async (ctx) => {
    ctx.body = await listKeys(services);
  });
  router.post('/', requireApiKey(services, 'write'), async (ctx) => {
    ctx.status = 201;
    ctx.body = await createKey(services, await readJsonBody(ctx));
  });
  router.delete('/:id', requireApiKey(services, 'write'), async (ctx) => {
    await revokeKey(services, ctx.params.id!);
    ctx.status = 204;
  });
  return router;
}
