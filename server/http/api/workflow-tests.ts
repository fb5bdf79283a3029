// Test runs from the editor: POST /api/workflows/test {"yaml","data"} runs a draft,
// POST /api/workflows/<slug>/test {"data"?} the stored workflow; both answer
// 202 {"run_id"} at once (follow it with GET /api/runs/<id>/events).
import Router from '@koa/router';
import { readJsonBody } from '../../core/http-body.js';
import { badRequest } from '../../core/http-error.js';
import type { Services } from '../../services.js';
import { startDraftTestRun, startStoredTestRun } from '../../workflows/test-run.js';
import { requestStarter, requireApiAccess } from '../api-access.js';
import { withAuthoringErrors } from './workflow-authoring.js';

export function workflowTestRoutes(services: Services): Router {
  const router = new Router({ prefix: '/api/workflows' });

  router.post('/test', requireApiAccess(services, 'write', 'editor'), async (ctx) => {
    const body = (await readJsonBody(ctx)) as { yaml?: unknown; data?: unknown };
    if (typeof body.yaml !== 'string') throw badRequest('Send {"yaml": "<the workflow YAML>", "data": {...}} as JSON.');
    const yaml = body.yaml;
    await withAuthoringErrors(ctx, async () => {
      const runId = await startDraftTestRun(services, { yaml, data: body.data, startedBy: requestStarter(ctx) });
      ctx.status = 202;
      ctx.set('Location', `/api/runs/${runId}`);
      ctx.body = { run_id: runId };
    });
  });

  router.post(
    '/:slug/test',
    requireApiAccess(services, 'write', 'editor', (ctx) => ctx.params.slug),
    async (ctx) => {
      const body = (await readJsonBody(ctx)) as { data?: unknown };
      const runId = await startStoredTestRun(services, {
        slug: ctx.params.slug!,
        ...(body.data === undefined ? {} : { data: body.data }),
        startedBy: requestStarter(ctx),
      });
      ctx.status = 202;
      ctx.set('Location', `/api/runs/${runId}`);
      ctx.body = { run_id: runId };
    },
  );

  return router;
}
