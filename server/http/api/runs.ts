// /api/runs: read a run with its steps, list runs, cancel and retry (server/runs/).
import Router from '@koa/router';
import type Koa from 'koa';
import {
  cancelRun,
  cancelRuns,
  checked,
  getRun,
  retryRun,
  retryRuns,
  runFilterSchema,
  runListQuerySchema,
  searchRuns,
} from '../../runs/index.js';
import type { Services } from '../../services.js';
import { requireApiAccess } from '../api-access.js';
import { addRunEventsRoute } from './run-events.js';
import { readJsonBody } from '../../core/http-body.js';
import { badRequest } from '../../core/http-error.js';

export function runRoutes(services: Services): Router {
  const router = new Router({ prefix: '/api/runs' });

  // A key limited to one workflow sees (and acts on) that workflow's runs only: it must filter by it.
  const workflowOf = (ctx: Koa.Context) => (typeof ctx.query.workflow === 'string' ? ctx.query.workflow : undefined);

  router.get('/', requireApiAccess(services, 'read', 'viewer', workflowOf), async (ctx) => {
    ctx.body = await searchRuns(services, checked(runListQuerySchema, ctx.query));
  });

  // Bulk actions take the list's filters as query parameters, so the console's
  // filtered view and the API act on the same set.
  router.post('/retry', requireApiAccess(services, 'write', 'editor', workflowOf), async (ctx) => {
    ctx.body = await retryRuns(services, checked(runFilterSchema, ctx.query));
  });

  router.post('/cancel', requireApiAccess(services, 'write', 'editor', workflowOf), async (ctx) => {
    ctx.body = await cancelRuns(services, checked(runFilterSchema, ctx.query));
  });

  router.get('/:id', requireApiAccess(services, 'read', 'viewer'), async (ctx) => {
    ctx.body = await getRun(services, ctx.params.id!);
  });

  addRunEventsRoute(router, services);

  router.post('/:id/cancel', requireApiAccess(services, 'write', 'editor'), async (ctx) => {
    ctx.body = await cancelRun(services, ctx.params.id!);
  });

  router.post('/:id/retry', requireApiAccess(services, 'write', 'editor'), async (ctx) => {
    const body = (await readJsonBody(ctx)) as { from_failed_step?: unknown; latest_version?: unknown; from_step?: unknown };
    if (body.from_step !== undefined && typeof body.from_step !== 'string')
      throw badRequest('from_step is the slug of the step to re-run from, as in steps.<slug>.');
    const { runId, retryOf } = await retryRun(services, ctx.params.id!, {
      fromFailedStep: body.from_failed_step !== false,
      latestVersion: body.latest_version === true,
      fromStep: body.from_step,
    });
    ctx.status = 201;
    ctx.set('Location', `/api/runs/${runId}`);
    ctx.body = { run_id: runId, retry_of: retryOf };
  });

  return router;
}
