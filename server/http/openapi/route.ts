// GET /api/openapi.json: open like /api/version, so tools can read it before a key exists.
import Router from '@koa/router';
import { version } from '../../version.js';
import { openApiDocument } from './document.js';

export function openApiRoutes(): Router {
  const router = new Router();
  const document = openApiDocument(version);
  router.get('/api/openapi.json', (ctx) => {
    ctx.body = document;
  });
  return router;
}
