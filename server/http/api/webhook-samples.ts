// Test events for building a webhook workflow: POST /api/workflows/<slug>/listen opens a
// 2-minute capture; requests to /hooks-test/<path> (authenticated like the real hook)
// are kept as samples (also for an unsaved draft, whose YAML is sent); GET /api/workflows/<slug>/samples lists the newest 10.
import Router from '@koa/router';
import type Koa from 'koa';
import { getCurrentWorkflow } from '../../../db/queries/workflow-store.js';
import type { Services } from '../../services.js';
import { parseWorkflow, type WebhookTrigger, type WorkflowDefinition } from '../../workflow/index.js';
import { CAPTURE_MS, listSamples, openCapture } from '../../triggers/webhook/samples.js';
import { requireApiAccess } from '../api-access.js';
import { readJsonBody } from '../../core/http-body.js';
import { HttpError, notFound } from '../../core/http-error.js';

const slugOf = (ctx: Koa.Context) => ctx.params.slug as string | undefined;

export function webhookSampleRoutes(services: Services): Router {
  const router = new Router({ prefix: '/api/workflows' });

  // With {"yaml": "<workflow file>"}: listen for an unsaved draft, checked against the draft's trigger.
  router.post('/:slug/listen', requireApiAccess(services, 'write', 'editor', slugOf), async (ctx) => {
    const slug = ctx.params.slug!;
    const body = (await readJsonBody(ctx)) as { yaml?: unknown };
    let trigger: WorkflowDefinition['trigger'] | undefined;
    let draft: WebhookTrigger | null = null;
    if (body.yaml !== undefined) {
      if (typeof body.yaml !== 'string') throw new HttpError(400, 'bad_request', 'Send {"yaml": "<the draft workflow file>"} or no body.');
      const parsed = parseWorkflow(body.yaml, { file: `${slug}.yaml` });
      if (!parsed.ok) {
        throw new HttpError(
          422,
          'invalid_workflow',
          `The draft is not a valid workflow: ${parsed.problems.map((p) => `${p.line}:${p.col} ${p.message}`).join('; ')}`,
          { problems: parsed.problems },
        );
      }
      trigger = parsed.workflow.trigger;
      if (trigger?.type === 'webhook') draft = trigger as WebhookTrigger;
    } else {
      const workflow = await getCurrentWorkflow<WorkflowDefinition>(services.db, slug);
      if (!workflow) throw notFound(`Workflow "${slug}" (for an unsaved draft, send {"yaml": ...})`);
      trigger = workflow.definition.trigger;
    }
    if (trigger?.type !== 'webhook') {
      throw new HttpError(
        409,
        'not_a_webhook',
        `Workflow "${slug}" has a ${trigger?.type ?? 'missing'} trigger; test events are captured for webhook triggers only.`,
      );
    }
    const hook = trigger as WebhookTrigger;
    const until = await openCapture(services.pool, slug, draft, CAPTURE_MS);
    ctx.body = {
      test_url: `/hooks-test${hook.path}`,
      method: hook.method,
      listening_until: until.toISOString(),
      message: `Send one request to /hooks-test${hook.path}, authenticated like the real hook, before ${until.toISOString()}; it is kept as a sample and starts no run.`,
    };
  });

  router.get('/:slug/samples', requireApiAccess(services, 'read', 'viewer', slugOf), async (ctx) => {
    const slug = ctx.params.slug!;
    ctx.body = { samples: await listSamples(services.pool, slug) };
  });

  return router;
}
