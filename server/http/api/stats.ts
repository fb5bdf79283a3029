// GET /api/stats?window=1h|6h|24h|7d: the dashboard's numbers (`read` key).
import Router from '@koa/router';
import type { Services } from '../../services.js';
import { dashboardStats, isStatsWindow, STATS_WINDOWS } from '../../stats/dashboard.js';
import { requireApiKey } from '../auth.js';
import { badRequest } from '../../core/http-error.js';

export function statsRoutes(services: Services): Router {
  const router = new Router({ prefix: '/api/stats' });
  router.get('/', requireApiKey(services, 'read'), async (ctx) => {
    const window = String(ctx.query.window ?? '24h');
    if (!isStatsWindow(window)) throw badRequest(`window must be one of ${Object.keys(STATS_WINDOWS).join(', ')}; got "${window}".`);
    ctx.body = await dashboardStats(services.pool, window);
  });
  return router;
}
