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
      // The database's own message (host names, user names) goes to the log, not to anonymous callers.
      services.logger.warn({ err: (err as Error).message }, 'health check: the database does not answer');
      ctx.status = 503;
      ctx.body = { status: 'unavailable', database: 'unreachable' };
    }
  });
  router.get('/api/version', (ctx) => {
    ctx.body = { name: 'khaosflow', version };
  });
  return router;
}
