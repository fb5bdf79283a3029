// /api/templates: email templates and their preview with sample data.
import Router from '@koa/router';
import type { Services } from '../../services.js';
import { deleteTemplate, getTemplate, listTemplates, previewTemplate, putTemplate } from '../../settings/email-templates.js';
import { requireApiKey } from '../auth.js';
import { readJsonBody } from '../../core/http-body.js';

export function templateRoutes(services: Services): Router {
  const router = new Router({ prefix: '/api/templates' });
  router.get('/', requireApiKey(services, 'read'), async (ctx) => {
    ctx.body = await listTemplates(services);
  });
  router.get('/:name', requireApiKey(services, 'read'), async (ctx) => {
    ctx.body = await getTemplate(services, ctx.params.name!);
  });
  router.put('/:name', requireApiKey(services, 'write'), async (ctx) => {
    ctx.body = await putTemplate(services, ctx.params.name!, await readJsonBody(ctx));
  });
  router.post('/:name/preview', requireApiKey(services, 'read'), async (ctx) => {
    ctx.body = await previewTemplate(services, ctx.params.name!, await readJsonBody(ctx));
  });
  router.delete('/:name', requireApiKey(services, 'write'), async (ctx) => {
    await deleteTemplate(services, ctx.params.name!);
    ctx.status = 204;
  });
  return router;
}
