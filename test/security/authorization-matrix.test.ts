// Every API route and every console form action, called by every principal: anonymous,
// console sessions of each role, API keys with each scope and one limited to a
// workflow. The expected outcome of each cell is in authorization-matrix.table.ts; the
// route list comes from the real routers, so a route without a row fails here.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type Router from '@koa/router';
import type { ServerBuild } from 'react-router';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../server/api-keys/store.js';
import { createSession } from '../../server/console-auth/sessions.js';
import { createUser } from '../../server/console-auth/users.js';
import { healthRoutes } from '../../server/http/health.js';
import { httpRouters } from '../../server/http/routers.js';
import { projectRoot } from '../../server/paths.js';
import type { Webhooks } from '../../server/triggers/webhook/index.js';
import type { UserRole } from '../../db/schema.js';
import { callApi, waitForRunEnd } from '../helpers/api.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { startTestNode, type TestNode } from '../helpers/node.js';
import { tempDir } from '../triggers/helpers.js';
import {
  API_ROUTES,
  CONSOLE_ACTIONS,
  consoleExpectations,
  type KEYS,
  type Outcome,
  type Principal,
  SESSIONS,
  TEST_PASSWORD,
} from './authorization-matrix.table.js';

let tdb: TestDatabase;
let node: TestNode;
let runId: string;
const keys = {} as Record<(typeof KEYS)[number], string>;
const users = {} as Record<UserRole, number>;

beforeAll(async () => {
  tdb = await createTestDatabase();
  node = await startTestNode({
    databaseUrl: tdb.url,
    http: true,
    worker: true,
    singletons: false,
    env: { KHAOSFLOW_HOME: tempDir('kf-matrix-') },
  });
  keys['key:read'] = (await createApiKey(tdb.db, { scopes: ['read'] })).key;
  keys['key:write'] = (await createApiKey(tdb.db, { scopes: ['read', 'write'] })).key;
  keys['key:workflow'] = (await createApiKey(tdb.db, { scopes: ['read', 'write'], workflowSlug: 'matrix' })).key;
  for (const role of SESSIONS)
    users[role] = (await createUser(tdb.db, { email: `${role}@matrix.example`, password: TEST_PASSWORD, role })).id;
  const yaml = 'name: Matrix\ntrigger: { type: manual }\nsteps:\n  - name: Say\n    action: { type: log, message: hi }\n';
  expect((await callApi(node.baseUrl, 'POST', '/api/workflows', { key: keys['key:write'], yaml })).status).toBe(201);
  const started = await callApi(node.baseUrl, 'POST', '/api/workflows/matrix/runs', { key: keys['key:write'], json: { parameters: {} } });
  expect(started.status, started.text).toBe(202);
  runId = started.json.run_id;
  await waitForRunEnd(node.baseUrl, keys['key:write'], runId);
});
afterAll(async () => {
  await node?.stop();
  await tdb?.drop();
});

/** A fresh session per call: a cell that logs out must not end the next cell's session. */
async function cookieOf(role: UserRole): Promise<string> {
  const { token } = await createSession(tdb.db, users[role]);
  return `kf_session=${encodeURIComponent(token)}`;
}

/** `METHOD /path` of every route the app mounts (HEAD goes with GET; a route for every method is ALL). */
function mountedApiRoutes(): string[] {
  // The webhook routes only read their Webhooks when a request comes; listing needs none.
  const routers: Router[] = [healthRoutes(node.services), ...httpRouters(node.services, {} as Webhooks)];
  const out = new Set<string>();
  for (const router of routers) {
    for (const layer of router.stack) {
      const methods = layer.methods.filter((m) => m !== 'HEAD');
      if (methods.length > 4) out.add(`ALL ${layer.path}`);
      else for (const method of methods) out.add(`${method} ${layer.path}`);
    }
  }
  return [...out].sort();
}

async function consoleBuild(): Promise<ServerBuild> {
  return (await import(pathToFileURL(path.join(projectRoot, 'build', 'server', 'index.js')).href)) as ServerBuild;
}

function judge(status: number, location: string | null): Outcome | number {
  if (status === 401 || status === 403) return status;
  if ((status === 302 || status === 303) && location?.startsWith('/login')) return 'login';
  return status < 500 ? 'ok' : status;
}

describe('the authorization matrix', () => {
  it('has a row for every API route and console action, and none for a route that is gone', async () => {
    expect(Object.keys(API_ROUTES).sort()).toEqual(mountedApiRoutes());
    const { routes } = await consoleBuild();
    const withAction = Object.values(routes)
      .filter((r) => r?.module.action)
      .map((r) => r!.id)
      .sort();
    expect(Object.keys(CONSOLE_ACTIONS).sort()).toEqual(withAction);
  });

  it('gives every principal the expected answer on every API route', async () => {
    const wrong: string[] = [];
    for (const [route, row] of Object.entries(API_ROUTES)) {
      const method = route.split(' ')[0] === 'ALL' ? 'POST' : route.split(' ')[0]!;
      const url = row.path.replace('{run}', runId);
      for (const principal of Object.keys(row.expect) as Principal[]) {
        const credentials =
          principal === 'anonymous'
            ? {}
            : principal.startsWith('key:')
              ? { key: keys[principal as (typeof KEYS)[number]] }
              : { cookie: await cookieOf(principal as UserRole), origin: node.baseUrl };
        const controller = new AbortController();
        const headers: Record<string, string> = {};
        if ('key' in credentials) headers.authorization = `Bearer ${credentials.key}`;
        if ('cookie' in credentials) Object.assign(headers, { cookie: credentials.cookie, origin: credentials.origin });
        let body: string | undefined;
        if (row.body?.yaml !== undefined) {
          headers['content-type'] = 'application/yaml';
          body = row.body.yaml;
        } else if (row.body?.json !== undefined) {
          headers['content-type'] = 'application/json';
          body = JSON.stringify(row.body.json);
        }
        const res = await fetch(`${node.baseUrl}${url}`, { method, headers, body, redirect: 'manual', signal: controller.signal });
        // An event stream stays open: its status is all this test needs.
        controller.abort();
        const got = judge(res.status, res.headers.get('location'));
        if (got !== row.expect[principal]) wrong.push(`${route} as ${principal}: expected ${row.expect[principal]}, got ${res.status}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('gives every console session the expected answer on every form action', async () => {
    const wrong: string[] = [];
    for (const [id, row] of Object.entries(CONSOLE_ACTIONS)) {
      const url = row.path.replace('{run}', runId);
      for (const [intent, rule] of Object.entries(row.intents)) {
        const expected = consoleExpectations(rule);
        for (const principal of Object.keys(expected) as Array<'anonymous' | UserRole>) {
          const headers: Record<string, string> = { origin: node.baseUrl, 'content-type': 'application/x-www-form-urlencoded' };
          if (principal !== 'anonymous') headers.cookie = await cookieOf(principal);
          const res = await fetch(`${node.baseUrl}${url}`, {
            method: 'POST',
            headers,
            body: new URLSearchParams({ ...row.fields, ...(intent ? { intent } : {}) }).toString(),
            redirect: 'manual',
          });
          await res.arrayBuffer();
          const got = judge(res.status, res.headers.get('location'));
          if (got !== expected[principal])
            wrong.push(`${id} (${intent || 'form'}) as ${principal}: expected ${expected[principal]}, got ${res.status}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});
