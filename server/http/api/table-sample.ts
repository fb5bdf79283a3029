// "Sample from the table" for database triggers: POST /api/workflows/<slug>/table-sample
// (or, for an unsaved draft, with {"yaml": "<workflow file>"}) answers the newest row of
// the watched table that passes the trigger's filter, as {"sample": {"data", ...}} or
// {"sample": null} when no row matches.
import Router from '@koa/router';
import type Koa from 'koa';
import { HttpError } from '../../core/http-error.js';
import type { Services } from '../../services.js';
import { FilterError } from '../../triggers/database/filter.js';
import { newestTableRow, TableSampleError } from '../../triggers/database/table-sample.js';
import type { DatabaseTrigger } from '../../workflow/types.js';
import { requireApiAccess } from '../api-access.js';
import { sampleTrigger } from './sample-trigger.js';

const slugOf = (ctx: Koa.Context) => ctx.params.slug as string | undefined;

export function tableSampleRoutes(services: Services): Router {
  const router = new Router({ prefix: '/api/workflows' });

  router.post('/:slug/table-sample', requireApiAccess(services, 'write', 'editor', slugOf), async (ctx) => {
    const slug = ctx.params.slug!;
    const trigger = await sampleTrigger(services, ctx, slug);
    if (trigger?.type !== 'database')
      throw new HttpError(
        409,
        'not_a_database_trigger',
        `Workflow "${slug}" has a ${trigger?.type ?? 'missing'} trigger; a sample from the table is for database triggers only.`,
      );
    try {
      ctx.body = { sample: await newestTableRow(services, trigger as DatabaseTrigger) };
    } catch (err) {
      if (err instanceof TableSampleError || err instanceof FilterError) throw new HttpError(422, 'no_table_sample', err.message);
      throw err;
    }
  });

  return router;
}
