// /api/workflows: list and read workflows with a summary of their trigger (what the
// console needs to draw a run button: label, confirmation, parameters), enable and
// disable them, and start a manual run (server/workflows/, server/runs/).
import Router from '@koa/router';
import type Koa from 'koa';
import { startManualRun } from '../../runs/index.js';
import type { Services } from '../../services.js';
import { getWorkflow, listWorkflows, setWorkflowEnabled, type WorkflowDetail, type WorkflowListItem } from '../../workflows/index.js';
import { requestStarter, requireApiAccess } from '../api-access.js';
import { readJsonBody } from '../../core/http-body.js';
import { HttpError } from '../../core/http-error.js';

function workflowView(w: (WorkflowDetail | WorkflowListItem) & { version?: number }) {
  const description = 'definition' in w ? w.definition.description : w.description;
  return {
    slug: w.slug,
    name: w.name,
    ...(description ? { description } : {}),
    enabled: w.enabled,
    version: 'definition' in w ? w.version : w.current_version,
    trigger: w.trigger,
    // Why a file or email trigger is not listening; absent while it is.
    ...(w.triggerProblem ? { trigger_problem: { message: w.triggerProblem.message, since: w.triggerProblem.since.toISOString() } } : {}),
  };
}

const slugOf = (ctx: Koa.Context) => ctx.params.slug as string | undefined;

export function workflowRoutes(services: Services): Router {
  const router = new Router({ prefix: '/api/workflows' });

  router.get('/', requireApiAccess(services, 'read', 'viewer'), async (ctx) => {
    const workflows = (await listWorkflows(services)).filter((w) => w.trigger !== null);
    ctx.body = { workflows: workflows.sort((a, b) => a.name.localeCompare(b.name)).map(workflowView) };
  });

  router.get('/:slug', requireApiAccess(services, 'read', 'viewer', slugOf), async (ctx) => {
    ctx.body = workflowView(await getWorkflow(services, ctx.params.slug!));
  });

  for (const action of ['enable', 'disable'] as const) {
    router.post(`/:slug/${action}`, requireApiAccess(services, 'write', 'editor', slugOf), async (ctx) => {
      ctx.body = workflowView(await setWorkflowEnabled(services, ctx.params.slug!, action === 'enable'));
    });
  }

  router.post('/:slug/runs', requireApiAccess(services, 'write', 'editor', slugOf), async (ctx) => {
    const body = (await readJsonBody(ctx)) as { parameters?: unknown; data?: unknown };
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw new HttpError(
        400,
        'bad_request',
        'Send a JSON object: {"parameters": {...}} (or {"data": ...} for a workflow without a manual trigger).',
      );
    const idempotencyKey = ctx.get('idempotency-key').trim();
    const runId = await startManualRun(services, {
      slug: ctx.params.slug!,
      parameters: body.parameters,
      data: body.data,
      startedBy: requestStarter(ctx),
      idempotencyKey,
    });
    ctx.status = 202;
    ctx.set('Location', `/api/runs/${runId}`);
    ctx.body = { run_id: runId };
  });

  return router;
}
