import Router from '@koa/router';
import type { Services } from '../services.js';
import { version } from '../version.js';

/** /healthz answers 200 only when the database answers; load balancers rely on it. */
export function healthRoutes(services: Services): Router {
  const router = new Router();
  router.get('/healthz', async (ctx) => {
    try {
      await services.pool.query('select 1');
      ctx.body = { status: 'ok', database: 'ok' };
    } catch (err) {
      ctx.status = 503;
      ctx.body = { status: 'unavailable', database: (err as Error).message };
    }
  });
  router.get('/api/version', (ctx) => {
    ctx.body = { name: 'khaosflow', version };
  });
  return router;
}
