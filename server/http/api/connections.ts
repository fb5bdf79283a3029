// /api/connections: manage named connections (secret fields go to the vault and are
// never returned) and test them. Keys need read / write; console sessions need admin
// to change or test (viewers list).
import Router from '@koa/router';
import {
  createConnection,
  deleteConnectionByName,
  listConnections,
  testConnectionByName,
  updateConnection,
} from './connections-controller.js';
import type { Services } from '../../services.js';
import { requireApiAccess } from '../api-access.js';
import { readJsonBody } from '../../core/http-body.js';

export function connectionRoutes(services: Services): Router {
  const router = new Router({ prefix: '/api/connections' });
  router.get('/', requireApiAccess(services, 'read', 'viewer'), async (ctx) => {
    ctx.body = await listConnections(services);
  });
  router.post('/', requireApiAccess(services, 'write', 'admin'), async (ctx) => {
    ctx.status = 201;
    ctx.body = await createConnection(services, await readJsonBody(ctx));
  });
  // Tests a connection before it is saved: {"url", "options"?, "name"?} in the body.
  router.post('/test', requireApiAccess(services, 'write', 'admin'), async (ctx) => {
    ctx.body = await testConnectionByName(services, await readJsonBody(ctx));
  });
  router.put('/:name', requireApiAccess(services, 'write', 'admin'), async (ctx) => {
    ctx.body = await updateConnection(services, ctx.params.name!, await readJsonBody(ctx));
  });
  router.delete('/:name', requireApiAccess(services, 'write', 'admin'), async (ctx) => {
    ctx.body = await deleteConnectionByName(services, ctx.params.name!);
  });
  router.post('/:name/test', requireApiAccess(services, 'write', 'admin'), async (ctx) => {
    ctx.body = await testConnectionByName(services, ctx.params.name!);
  });
  return router;
}
