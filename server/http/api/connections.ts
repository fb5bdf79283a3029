// /api/connections: manage named connections (secret fields go to the vault and are
// never returned) and test them.
import Router from '@koa/router';
import {
  createConnection,
  deleteConnectionByName,
  listConnections,
  testConnectionByName,
  updateConnection,
} from './connections-controller.js';
import type { Services } from '../../services.js';
import { requireApiKey } from '../auth.js';
import { readJsonBody } from '../../core/http-body.js';

export function connectionRoutes(services: Services): Router {
  const router = new Router({ prefix: '/api/connections' });
  router.get('/', requireApiKey(services, 'read'), async (ctx) => {
    ctx.body = await listConnections(services);
  });
  router.post('/', requireApiKey(services, 'write'), async (ctx) => {
    ctx.status = 201;
    ctx.body = await createConnection(services, await readJsonBody(ctx));
  });
  // Tests a connection before it is saved: {"url", "options"?, "name"?} in the body.
  router.post('/test', requireApiKey(services, 'write'), async (ctx) => {
    ctx.body = await testConnectionByName(services, await readJsonBody(ctx));
  });
  router.put('/:name', requireApiKey(services, 'write'), async (ctx) => {
    ctx.body = await updateConnection(services, ctx.params.name!, await readJsonBody(ctx));
  });
  router.delete('/:name', requireApiKey(services, 'write'), async (ctx) => {
    ctx.body = await deleteConnectionByName(services, ctx.params.name!);
  });
  router.post('/:name/test', requireApiKey(services, 'write'), async (ctx) => {
    ctx.body = await testConnectionByName(services, ctx.params.name!);
  });
  return router;
}
