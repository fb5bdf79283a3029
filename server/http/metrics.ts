// GET /metrics in Prometheus text format. Behind a read API key by default (send it
// as `authorization: Bearer kf_...`, which Prometheus' scrape config supports);
// KHAOSFLOW_METRICS_PUBLIC=true opens it for a scraper on a private network. It
// carries counts and action type names only, never workflow data.
import Router from '@koa/router';
import type Koa from 'koa';
import type { Services } from '../services.js';
import { requireApiKey } from './auth.js';

export function metricsRoutes(services: Services): Router {
  const router = new Router();
  const { registry } = services.metrics;
  const guard: Koa.Middleware[] = services.config.env.KHAOSFLOW_METRICS_PUBLIC === 'true' ? [] : [requireApiKey(services, 'read')];
  router.get('/metrics', ...guard, async (ctx) => {
    ctx.set('Content-Type', registry.contentType);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await registry.metrics();
  });
  return router;
}
