// Mounts the React Router (framework mode) console: every request no API route took
// is answered by the console's server build, with the services bag as load context.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type Koa from 'koa';
import { createRequest, sendResponse } from '@remix-run/node-fetch-server';
import { createRequestHandler, type ServerBuild } from 'react-router';
import type { Services } from '../services.js';
import { staticFiles } from './static-files.js';

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
  const render: Koa.Middleware = async (ctx) => {
    ctx.respond = false;
    const request = createRequest(ctx.req, ctx.res);
    const response = await handle(request, { khaosflow: services });
    await sendResponse(ctx.res, response);
  };
  return [staticFiles(path.join(buildDir, 'client')), render];
}
