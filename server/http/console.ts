// Mounts the React Router (framework mode) console: every request no API route took
// is answered by the console's server build. Each request gets a router context with
// the services bag, the login service and the user of the session cookie; the
// console's middleware (app/routes/console-layout.tsx) sends anyone without a user
// to the login page, for document and data requests alike.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type Koa from 'koa';
import { createRequest, sendResponse } from '@remix-run/node-fetch-server';
import { createRequestHandler, RouterContextProvider, type ServerBuild } from 'react-router';
import { createConsoleAuth } from '../console-auth/index.js';
import type { Services } from '../services.js';
import { consoleContexts } from './console-context.js';
import { sameOriginGuard } from './console-guard.js';
import { staticFiles } from './static-files.js';

// The same flag react-router.config.ts sets (its generated types cover app/ only):
// with it the handler takes a RouterContextProvider instead of a plain object.
declare module 'react-router' {
  interface Future {
    v8_middleware: true;
  }
}

export async function consoleMiddleware(services: Services, buildDir: string): Promise<Koa.Middleware[]> {
  const serverEntry = path.join(buildDir, 'server', 'index.js');
  if (!fs.existsSync(serverEntry)) {
    services.logger.warn({ buildDir }, 'console build is missing; run `npm run build` to serve the console');
    return [
      async (ctx) => {
        ctx.status = 503;
        ctx.type = 'text/plain';
        ctx.body = 'The KhaosFlow console has not been built. Run `npm run build`, then restart.';
      },
    ];
  }
  const build = (await import(pathToFileURL(serverEntry).href)) as ServerBuild;
  const handle = createRequestHandler(build, process.env.NODE_ENV === 'development' ? 'development' : 'production');
  const auth = createConsoleAuth(services.db, services.vault.master.key);
  const secureCookies = services.config.publicUrl?.startsWith('https:') ?? false;
  const render: Koa.Middleware = async (ctx) => {
    const context = new RouterContextProvider();
    context.set(consoleContexts.services, services);
    context.set(consoleContexts.auth, auth);
    context.set(consoleContexts.user, await auth.userFromCookie(ctx.get('cookie')));
    context.set(consoleContexts.request, {
      ip: ctx.ip,
      userAgent: ctx.get('user-agent') || undefined,
      secure: secureCookies || ctx.secure,
    });
    ctx.respond = false;
    const request = createRequest(ctx.req, ctx.res);
    const response = await handle(request, context);
    // Console pages are per user: never kept by shared caches, never framed by other sites.
    if (!response.headers.has('cache-control')) response.headers.set('Cache-Control', 'private, no-store');
    response.headers.set('X-Frame-Options', 'DENY');
    response.headers.set('X-Content-Type-Options', 'nosniff');
    response.headers.set('Referrer-Policy', 'same-origin');
    await sendResponse(ctx.res, response);
  };
  return [staticFiles(path.join(buildDir, 'client')), sameOriginGuard(services.config.publicUrl), render];
}
