// /api/runs: read a run with its steps, list runs, cancel and retry (server/runs/).
import Router from '@koa/router';
import { RUN_STATUSES } from '../../engine/statuses.js';
import { cancelRun, getRun, listRuns, retryRun, runStatusOf } from '../../runs/index.js';
import type { Services } from '../../services.js';
import { requireApiKey } from '../auth.js';
import { readJsonBody } from '../../core/http-body.js';
import { badRequest } from '../../core/http-error.js';

export function runRoutes(services: Services): Router {
  const router = new Router({ prefix: '/api/runs' });

  router.get('/', requireApiKey(services, 'read'), async (ctx) => {
    const text = ctx.query.status as string | undefined;
    const status = runStatusOf(text);
    if (text && !status) throw badRequest(`status must be one of ${RUN_STATUSES.join(', ')}.`);
    const workflow = ctx.query.workflow;
    ctx.body = {
      runs: await listRuns(services, {
        workflowSlug: typeof workflow === 'string' ? workflow : undefined,
        status: status ?? undefined,
        limit: ctx.query.limit ? Number(ctx.query.limit) : undefined,
      }),
    };
  });

  router.get('/:id', requireApiKey(services, 'read'), async (ctx) => {
    ctx.body = await getRun(services, ctx.params.id!);
  });

  router.post('/:id/cancel', requireApiKey(services, 'write'), async (ctx) => {
    ctx.body = await cancelRun(services, ctx.params.id!);
  });

  router.post('/:id/retry', requireApiKey(services, 'write'), async (ctx) => {
    const body = (await readJsonBody(ctx)) as { from_failed_step?: unknown; latest_version?: unknown };
    const { runId, retryOf } = await retryRun(services, ctx.params.id!, {
      fromFailedStep: body.from_failed_step !== false,
      latestVersion: body.latest_version === true,
    });
    ctx.status = 201;
    ctx.set('Location', `/api/runs/${runId}`);
    ctx.body = { run_id: runId, retry_of: retryOf };
  });

  return router;
}
