// /api/secrets: names and dates out, values only in (`read` lists, `write` changes).
import Router from '@koa/router';
import type { Services } from '../../services.js';
import { deleteSecret, listSecrets, putSecret } from '../../settings/secrets.js';
import { requireApiKey } from '../auth.js';
import { readJsonBody } from '../../core/http-body.js';

export function secretRoutes(services: Services): Router {
  const router = new Router({ prefix: '/api/secrets' });
  router.get('/', requireApiKey(services, 'read'), async (ctx) => {
    ctx.body = await listSecrets(services);
  });
  router.put('/:name', requireApiKey(services, 'write'), async (ctx) => {
    ctx.body = await putSecret(services, ctx.params.name!, await readJsonBody(ctx));
  });
  router.delete('/:name', requireApiKey(services, 'write'), async (ctx) => {
    await deleteSecret(services, ctx.params.name!);
    ctx.status = 204;
  });
  return router;
}
