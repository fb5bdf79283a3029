// /api/runs: read a run with its steps, list runs, cancel and retry.
import Router from '@koa/router';
import { cancelRun, getRun, listRuns, retryRun } from '../../../db/queries/runs.js';
import type { RunStatus } from '../../../db/schema.js';
import { RUN_STATUSES } from '../../engine/statuses.js';
import type { Services } from '../../services.js';
import { requireApiKey } from '../auth.js';
import { readJsonBody } from '../../core/http-body.js';
import { badRequest, HttpError, notFound } from '../../core/http-error.js';

export function runRoutes(services: Services): Router {
  const router = new Router({ prefix: '/api/runs' });
  const { db } = services;

  router.get('/', requireApiKey(services, 'read'), async (ctx) => {
    const status = ctx.query.status as string | undefined;
    if (status && !RUN_STATUSES.includes(status as RunStatus)) throw badRequest(`status must be one of ${RUN_STATUSES.join(', ')}.`);
    const limit = ctx.query.limit ? Number(ctx.query.limit) : undefined;
    ctx.body = {
      runs: await listRuns(db, {
        ...(typeof ctx.query.workflow === 'string' ? { workflowSlug: ctx.query.workflow } : {}),
        ...(status ? { status: status as RunStatus } : {}),
        ...(limit && Number.isInteger(limit) && limit > 0 ? { limit } : {}),
      }),
    };
  });

  router.get('/:id', requireApiKey(services, 'read'), async (ctx) => {
    const run = await getRun(db, ctx.params.id!);
    if (!run) throw notFound(`Run ${ctx.params.id}`);
    ctx.body = run;
  });

  router.post('/:id/cancel', requireApiKey(services, 'write'), async (ctx) => {
    const run = await getRun(db, ctx.params.id!);
    if (!run) throw notFound(`Run ${ctx.params.id}`);
    const cancelled = await cancelRun(db, run.id);
    if (!cancelled) throw new HttpError(409, 'conflict', `Run ${run.id} is already ${run.status}.`);
    ctx.body = { id: run.id, status: 'cancelled' };
  });

  router.post('/:id/retry', requireApiKey(services, 'write'), async (ctx) => {
    const body = (await readJsonBody(ctx)) as { from_failed_step?: unknown; latest_version?: unknown };
    const run = await getRun(db, ctx.params.id!);
    if (!run) throw notFound(`Run ${ctx.params.id}`);
    if (!['succeeded', 'failed', 'cancelled'].includes(run.status))
      throw new HttpError(409, 'conflict', `Run ${run.id} is still ${run.status}; cancel it or wait for it to finish.`);
    const id = await retryRun(db, run.id, { fromFailedStep: body.from_failed_step !== false, latestVersion: body.latest_version === true });
    ctx.status = 201;
    ctx.set('Location', `/api/runs/${id}`);
    ctx.body = { run_id: id, retry_of: run.id };
  });

  return router;
}
