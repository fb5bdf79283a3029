// /api/workflows: list and read workflows with a summary of their trigger (what the
// console needs to draw a run button: label, confirmation, parameters), enable and
// disable them, and start a manual run.
//
// POST /api/workflows/<slug>/runs starts any workflow, not only those with a manual
// trigger: trying a webhook or schedule workflow by hand is part of building it. With
// a manual trigger, `parameters` are checked against its declarations (422 per field)
// and become trigger.data; otherwise `data` (any JSON) becomes trigger.data.
import Router from '@koa/router';
import type Koa from 'koa';
import { triggerProblem, triggerProblems } from '../../../db/queries/trigger-problems.js';
import { getDbTriggerInstall, listDbTriggerInstalls } from '../../../db/queries/triggers-database.js';
import { currentWorkflows, getCurrentWorkflow, setWorkflowEnabled, type CurrentWorkflow } from '../../../db/queries/workflow-store.js';
import { triggerRun, WorkflowUnavailableError } from '../../queue/enqueue-run.js';
import type { Services } from '../../services.js';
import { checkParameters } from '../../triggers/manual/parameters.js';
import { triggerSummary } from '../../triggers/summary.js';
import type { ManualTrigger } from '../../workflow/types.js';
import type { ApiKeyInfo } from '../../api-keys/store.js';
import { requireApiKey } from '../auth.js';
import { readJsonBody } from '../../core/http-body.js';
import { HttpError, notFound } from '../../core/http-error.js';

type Install = Awaited<ReturnType<typeof getDbTriggerInstall>>;

function workflowView(w: CurrentWorkflow, install: Install, problem: { message: string; since: Date } | null = null) {
  return {
    slug: w.slug,
    name: w.name,
    ...(w.definition.description ? { description: w.definition.description } : {}),
    enabled: w.enabled,
    version: w.version,
    trigger: triggerSummary(w.definition.trigger, { install }),
    // Why a file or email trigger is not listening; absent while it is.
    ...(problem ? { trigger_problem: { message: problem.message, since: problem.since.toISOString() } } : {}),
  };
}

const slugOf = (ctx: Koa.Context) => ctx.params.slug as string | undefined;

export function workflowRoutes(services: Services): Router {
  const router = new Router({ prefix: '/api/workflows' });
  const { db } = services;

  const load = async (slug: string) => {
    const workflow = await getCurrentWorkflow(db, slug);
    if (!workflow) throw notFound(`Workflow "${slug}"`);
    return workflow;
  };

  router.get('/', requireApiKey(services, 'read'), async (ctx) => {
    const [workflows, installs, problems] = await Promise.all([currentWorkflows(db), listDbTriggerInstalls(db), triggerProblems(db)]);
    const byWorkflow = new Map(installs.map((i) => [i.workflow_id, i]));
    ctx.body = {
      workflows: workflows
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((w) => workflowView(w, byWorkflow.get(w.id) ?? null, problems.get(w.id) ?? null)),
    };
  });

  router.get('/:slug', requireApiKey(services, 'read', slugOf), async (ctx) => {
    const workflow = await load(ctx.params.slug!);
    ctx.body = workflowView(workflow, await getDbTriggerInstall(db, workflow.id), await triggerProblem(db, workflow.id));
  });

  for (const action of ['enable', 'disable'] as const) {
    router.post(`/:slug/${action}`, requireApiKey(services, 'write', slugOf), async (ctx) => {
      if (!(await setWorkflowEnabled(db, ctx.params.slug!, action === 'enable'))) throw notFound(`Workflow "${ctx.params.slug}"`);
      const workflow = await load(ctx.params.slug!);
      ctx.body = workflowView(workflow, await getDbTriggerInstall(db, workflow.id));
    });
  }

  router.post('/:slug/runs', requireApiKey(services, 'write', slugOf), async (ctx) => {
    const body = (await readJsonBody(ctx)) as { parameters?: unknown; data?: unknown };
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw new HttpError(
        400,
        'bad_request',
        'Send a JSON object: {"parameters": {...}} (or {"data": ...} for a workflow without a manual trigger).',
      );
    const workflow = await load(ctx.params.slug!);
    const trigger = workflow.definition.trigger;
    let data: unknown;
    if (trigger?.type === 'manual') {
      if (body.data !== undefined) {
        throw new HttpError(
          422,
          'invalid_parameters',
          `Workflow "${workflow.slug}" has a manual trigger: send {"parameters": {...}} instead of "data".`,
          { fields: { data: 'use parameters' } },
        );
      }
      const checked = checkParameters((trigger as ManualTrigger).parameters, body.parameters);
      if (!checked.ok) {
        throw new HttpError(
          422,
          'invalid_parameters',
          `The parameters do not fit workflow "${workflow.slug}": ${Object.entries(checked.errors)
            .map(([k, v]) => `${k} ${v}`)
            .join('; ')}.`,
          { fields: checked.errors },
        );
      }
      data = checked.values;
    } else {
      data = body.data ?? body.parameters ?? {};
    }
    const key = ctx.state.apiKey as ApiKeyInfo;
    const idempotencyKey = ctx.get('idempotency-key').trim();
    try {
      const runId = await triggerRun(
        services.pool,
        workflow.slug,
        'manual',
        { data, started_by: `api-key:${key.prefix}` },
        idempotencyKey ? `manual:${idempotencyKey}` : null,
      );
      ctx.status = 202;
      ctx.set('Location', `/api/runs/${runId}`);
      ctx.body = { run_id: runId };
    } catch (err) {
      if (err instanceof WorkflowUnavailableError) {
        throw new HttpError(
          err.reason === 'disabled' ? 409 : 404,
          err.reason === 'disabled' ? 'workflow_disabled' : 'not_found',
          err.message,
        );
      }
      throw err;
    }
  });

  return router;
}
