// POST /api/import/zapier: a Zapier export (JSON body) -> workflows and the migration
// report; ?apply=true also stores them, disabled until reviewed (`write` key).
import Router from '@koa/router';
import { importZapierForReview, ZapierImportError } from '../../importers/zapier/service.js';
import type { Services } from '../../services.js';
import { requireApiKey } from '../auth.js';
import { readJsonBody } from '../../core/http-body.js';
import { HttpError } from '../../core/http-error.js';

/** Exports of large Zapier accounts run to a few megabytes. */
const EXPORT_LIMIT = 20 * 1024 * 1024;

export function importRoutes(services: Services): Router {
  const router = new Router({ prefix: '/api/import' });
  router.post('/zapier', requireApiKey(services, 'write'), async (ctx) => {
    const body = await readJsonBody(ctx, EXPORT_LIMIT);
    try {
      ctx.body = await importZapierForReview(services, body, { apply: ctx.query.apply === 'true', createdBy: 'zapier-import (API)' });
    } catch (err) {
      if (err instanceof ZapierImportError) throw new HttpError(422, 'invalid_export', err.message);
      throw err;
    }
  });
  return router;
}
