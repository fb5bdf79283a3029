// GET /api/openapi.json lists every route the Koa routers mount (walked from the
// routers themselves), with JSON Schema made from the zod schemas the routes check.
import type Router from '@koa/router';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRouters } from '../../server/http/routers.js';
import { healthRoutes } from '../../server/http/health.js';
import { openApiPath } from '../../server/http/openapi/document.js';
import type { Services } from '../../server/services.js';
import type { Webhooks } from '../../server/triggers/webhook/index.js';
import { callApi } from '../helpers/api.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { startTestNode, type TestNode } from '../helpers/node.js';
import { tempDir } from '../triggers/helpers.js';

let tdb: TestDatabase;
let node: TestNode;
let doc: any;

beforeAll(async () => {
  tdb = await createTestDatabase();
  node = await startTestNode({ databaseUrl: tdb.url, worker: false, singletons: false, env: { KHAOSFLOW_HOME: tempDir('kf-openapi-') } });
  const res = await callApi(node.baseUrl, 'GET', '/api/openapi.json');
  expect(res.status).toBe(200);
  doc = res.json;
});
afterAll(async () => {
  await node?.stop();
  await tdb?.drop();
});

/** Every (method, path) a router mounts, read from its layers. */
function mounted(routers: Router[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const router of routers) {
    for (const layer of router.stack as Array<{ methods: string[]; path: string }>) {
      // router.all mounts every HTTP method: the document lists it under get, post, put and delete.
      const methods = layer.methods.length > 10 ? ['all'] : layer.methods.filter((m) => m !== 'HEAD');
      for (const method of methods) out.push([method.toLowerCase(), layer.path]);
    }
  }
  return out;
}

describe('GET /api/openapi.json', () => {
  it('is an OpenAPI 3.1 document of every mounted /api route and /hooks', () => {
    expect(doc.openapi).toBe('3.1.0');
    // Building the routers only keeps references to the services (read on requests): a stand-in that answers itself will do.
    const standIn: any = new Proxy({}, { get: () => standIn });
    const routers = [healthRoutes(standIn as Services), ...httpRouters(standIn as Services, standIn as Webhooks)];
    const routes = mounted(routers).filter(([, path]) => path.startsWith('/api') || path.startsWith('/hooks'));
    expect(routes.length).toBeGreaterThan(40);
    const missing = routes.filter(([method, path]) => !doc.paths[openApiPath(path)]?.[method === 'all' ? 'post' : method]);
    expect(missing.map(([m, p]) => `${m} ${p}`)).toEqual([]);
  });

  it('describes parameters and bodies from the zod schemas the routes validate with', () => {
    const list = doc.paths['/api/runs'].get;
    const names = list.parameters.map((p: { name: string }) => p.name);
    expect(names).toEqual(expect.arrayContaining(['workflow', 'status', 'trigger', 'since', 'until', 'q', 'after', 'limit']));
    const status = list.parameters.find((p: { name: string }) => p.name === 'status');
    expect(status.schema.enum).toEqual(['queued', 'running', 'waiting', 'succeeded', 'failed', 'cancelled']);
    expect(list['x-khaosflow-scope']).toBe('read');
    const create = doc.paths['/api/connections'].post.requestBody.content['application/json'].schema;
    expect(create.required).toEqual(expect.arrayContaining(['name', 'url']));
    expect(doc.paths['/api/runs/{id}/retry'].post.parameters[0]).toMatchObject({ name: 'id', in: 'path' });
    expect(doc.paths['/hooks/{path}'].post).toBeTruthy();
  });
});
