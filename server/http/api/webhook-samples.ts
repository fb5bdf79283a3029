// Test events for building a webhook workflow: POST /api/workflows/<slug>/listen opens a
// 2-minute capture; requests to /hooks-test/<path> (authenticated like the real hook)
// are kept as samples; GET /api/workflows/<slug>/samples lists the newest 10.
import Router from '@koa/router';
import type Koa from 'koa';
import { getCurrentWorkflow } from '../../../db/queries/workflow-store.js';
import type { Services } from '../../services.js';
import { CAPTURE_MS, listSamples, openCapture } from '../../triggers/webhook/samples.js';
import { requireApiKey } from '../auth.js';
import { HttpError, notFound } from '../errors.js';

const slugOf = (ctx: Koa.Context) => ctx.params.slug as string | undefined;

export function webhookSampleRoutes(services: Services): Router {
  const router = new Router({ prefix: '/api/workflows' });

  router.post('/:slug/listen', requireApiKey(services, 'write', slugOf), async (ctx) => {
    const slug = ctx.params.slug!;
    const workflow = await getCurrentWorkflow(services.db, slug);
    if (!workflow) throw notFound(`Workflow "${slug}"`);
    const trigger = workflow.definition.trigger;
    if (trigger?.type !== 'webhook') {
      throw new HttpError(
        409,
        'not_a_webhook',
        `Workflow "${slug}" has a ${trigger?.type ?? 'missing'} trigger; test events are captured for webhook triggers only.`,
      );
    }
    const until = await openCapture(services.pool, slug, CAPTURE_MS);
    if (!until) throw notFound(`Workflow "${slug}"`);
    ctx.body = {
      test_url: `/hooks-test${trigger.path}`,
      method: trigger.method,
      listening_until: until.toISOString(),
      message: `Send one request to /hooks-test${trigger.path}, authenticated like the real hook, before ${until.toISOString()}; it is kept as a sample and starts no run.`,
    };
  });

  router.get('/:slug/samples', requireApiKey(services, 'read', slugOf), async (ctx) => {
    const slug = ctx.params.slug!;
    if (!(await getCurrentWorkflow(services.db, slug))) throw notFound(`Workflow "${slug}"`);
    ctx.body = { samples: await listSamples(services.pool, slug) };
  });

  return router;
}
