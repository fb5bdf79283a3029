// The HTTP face of KhaosFlow: API and hooks first, the console for everything else.
import type Router from '@koa/router';
import Koa from 'koa';
import type { Services } from '../services.js';
import { HttpError } from '../core/http-error.js';
import { jsonErrors } from './json-errors.js';
import { healthRoutes } from './health.js';
import { consoleMiddleware } from './console.js';
import { serviceErrors } from './service-errors.js';
import { applyTrustProxy } from './trust-proxy.js';

export interface HttpAppOptions {
  /** Folder of the console build (build/); omit to serve API only. */
  consoleBuildDir?: string;
  /** Extra route modules (API, hooks) mounted before the console. */
  routers?: Router[];
}

export async function createHttpApp(services: Services, opts: HttpAppOptions = {}): Promise<Koa> {
  const app = new Koa();
  applyTrustProxy(app, services.config.env);
  app.use(jsonErrors(services.logger));
  app.use(serviceErrors());
  for (const router of [healthRoutes(services), ...(opts.routers ?? [])]) {
    app.use(router.routes() as Koa.Middleware);
    app.use(router.allowedMethods() as Koa.Middleware);
  }
  // Unknown API and hook paths get a JSON 404, not the console's HTML page.
  app.use(async (ctx, next) => {
    if (/^\/(api|hooks|hooks-test)(\/|$)/.test(ctx.path)) throw new HttpError(404, 'not_found', `No route ${ctx.method} ${ctx.path}.`);
    await next();
  });
  if (opts.consoleBuildDir) for (const mw of await consoleMiddleware(services, opts.consoleBuildDir)) app.use(mw);
  return app;
}
