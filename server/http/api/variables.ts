// /api/variables: workflow variables, any JSON value (`read` lists, `write` changes).
import Router from '@koa/router';
import type { Services } from '../../services.js';
import { deleteVariable, listVariables, putVariable } from '../../settings/variables.js';
import { requireApiKey } from '../auth.js';
import { readJsonBody } from '../../core/http-body.js';

export function variableRoutes(services: Services): Router {
  const router = new Router({ prefix: '/api/variables' });
  router.get('/', requireApiKey(services, 'read'), async (ctx) => {
    ctx.body = await listVariables(services);
  });
  router.put('/:name', requireApiKey(services, 'write'), async (ctx) => {
    ctx.body = await putVariable(services, ctx.params.name!, await readJsonBody(ctx));
  });
  router.delete('/:name', requireApiKey(services, 'write'), async (ctx) => {
    await deleteVariable(services, ctx.params.name!);
    ctx.status = 204;
  });
  return router;
}
