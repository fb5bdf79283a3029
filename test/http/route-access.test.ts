// Every /api route, walked from the one list the routes and the OpenAPI document are
// declared in (server/http/openapi/routes.ts; openapi.test.ts checks it matches what
// Koa mounts): refused without credentials (401), refused a key without its scope
// (403), refused a console session whose role is below the route's (403) or any
// session where only keys are accepted (401), and let through with the right key or
// role. The console's settings pages refuse a change by the role just below theirs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserRole } from '../../db/schema.js';
import { createApiKey } from '../../server/api-keys/store.js';
import { API_ROUTES, type ApiRoute } from '../../server/http/openapi/routes.js';
import { consoleSession } from '../helpers/api.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { startTestNode, type TestNode } from '../helpers/node.js';
import { tempDir } from '../triggers/helpers.js';

let tdb: TestDatabase;
let node: TestNode;
const keys: Record<'read' | 'write' | 'webhook', string> = { read: '', write: '', webhook: '' };
const sessions = {} as Record<UserRole, string>;
const ROLES: UserRole[] = ['viewer', 'editor', 'admin', 'owner'];

beforeAll(async () => {
  tdb = await createTestDatabase();
  node = await startTestNode({
    databaseUrl: tdb.url,
    http: true,
    worker: false,
    singletons: false,
    env: { KHAOSFLOW_HOME: tempDir('kf-route-access-') },
  });
  keys.read = (await createApiKey(tdb.db, { scopes: ['read'] })).key;
  keys.write = (await createApiKey(tdb.db, { scopes: ['read', 'write'] })).key;
  keys.webhook = (await createApiKey(tdb.db, { scopes: ['webhook'] })).key;
  for (const role of ROLES) sessions[role] = await consoleSession(tdb.db, role);
});
afterAll(async () => {
  await node?.stop();
  await tdb?.drop();
});

// Parameters that name nothing: a request that gets past the access check answers 4xx
// about the missing thing (or the empty body), never 401/403.
const PARAMS: Record<string, string> = {
  id: '00000000-0000-7000-8000-000000000000',
  name: 'no_such_name',
  slug: 'no-such-workflow',
  version: '1',
};
const concrete = (path: string) => path.replace(/:(\w+)/g, (_m, p: string) => PARAMS[p] ?? 'x');

/** Only the status: an event stream for a run would stay open, so the body is not read. */
async function status(route: ApiRoute, headers: Record<string, string>): Promise<number> {
  const path = route.path.replace(':id', route.path.startsWith('/api/keys') ? '999999' : ':id');
  const res = await fetch(`${node.baseUrl}${concrete(path)}`, {
    method: route.method,
    headers: { ...headers, ...(route.method === 'GET' ? {} : { 'content-type': 'application/json' }) },
    ...(route.method === 'GET' ? {} : { body: '{}' }),
    signal: AbortSignal.timeout(20_000),
  });
  await res.body?.cancel();
  return res.status;
}

const guarded = API_ROUTES.filter((r) => r.scope === 'read' || r.scope === 'write');
const label = (r: ApiRoute) => `${r.method} ${r.path}`;
const below = (role: UserRole): UserRole | null => ROLES[ROLES.indexOf(role) - 1] ?? null;
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const session = (role: UserRole) => ({ cookie: sessions[role], origin: node.baseUrl });

describe('every /api route', () => {
  it('covers the routes the API declares', () => {
    expect(guarded.length).toBeGreaterThan(40);
  });

  it.each(guarded.map((r) => [label(r), r] as const))('%s: 401 without credentials or with an unknown key', async (_l, route) => {
    expect(await status(route, {})).toBe(401);
    expect(await status(route, bearer('kf_unknown_0000000000000000000000'))).toBe(401);
  });

  it.each(guarded.map((r) => [label(r), r] as const))('%s: 403 for a key without its scope, through with it', async (_l, route) => {
    expect(await status(route, bearer(route.scope === 'write' ? keys.read : keys.webhook))).toBe(403);
    const allowed = await status(route, bearer(keys[route.scope as 'read' | 'write']));
    expect(allowed).not.toBe(401);
    expect(allowed).not.toBe(403);
  });

  it.each(guarded.map((r) => [label(r), r] as const))('%s: console sessions by role', async (_l, route) => {
    if (!route.role) {
      // Key-only routes: the console's pages call the service layer, so no session is taken here.
      for (const role of ROLES) expect(await status(route, session(role)), role).toBe(401);
      return;
    }
    const weaker = below(route.role);
    if (weaker) expect(await status(route, session(weaker)), weaker).toBe(403);
    const allowed = await status(route, session(route.role));
    expect(allowed).not.toBe(401);
    expect(allowed).not.toBe(403);
  });
});

// Console pages whose changes need more than viewer: the role just below is refused.
const PAGES: Array<{ path: string; role: UserRole; form: Record<string, string>; says: string }> = [
  { path: '/secrets', role: 'admin', form: { intent: 'set', name: 'sneaky', value: 'x' }, says: 'change secrets' },
  {
    path: '/connections',
    role: 'admin',
    form: { intent: 'create', name: 'sneaky', url: 'postgres://a@b/c' },
    says: 'change or test connections',
  },
  { path: '/keys', role: 'admin', form: { intent: 'create', name: 'sneaky', scopes: 'read' }, says: 'manage API keys' },
  { path: '/variables', role: 'editor', form: { intent: 'set', name: 'sneaky', value: '1' }, says: 'change variables' },
  { path: '/templates', role: 'editor', form: { intent: 'save', name: 'sneaky', subject: 's', text: 't' }, says: 'change email templates' },
  { path: '/users', role: 'owner', form: { intent: 'invite', email: 'sneaky@example.com', role: 'viewer' }, says: 'manage users' },
  { path: '/runs', role: 'editor', form: { intent: 'retry' }, says: 'retry or cancel runs' },
];

describe('console pages', () => {
  it.each(PAGES.map((p) => [p.path, p] as const))('%s refuses a change by the role below its own', async (_p, page) => {
    const weaker = below(page.role)!;
    const res = await fetch(`${node.baseUrl}${page.path}`, {
      method: 'POST',
      headers: { ...session(weaker), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(page.form),
      redirect: 'manual',
    });
    expect(res.status).toBe(403);
    const text = await res.text();
    expect(text).toContain(`Your role (${weaker}) cannot ${page.says}`);
    expect(text).toContain('403 Forbidden');
  });

  it('changed nothing for the refused requests', async () => {
    for (const table of ['secrets', 'connections', 'variables', 'email_templates']) {
      const { rows } = await tdb.pool.query(`select count(*)::int as n from khaosflow.${table} where name = 'sneaky'`);
      expect(rows[0].n, table).toBe(0);
    }
    const { rows } = await tdb.pool.query("select count(*)::int as n from khaosflow.users where email = 'sneaky@example.com'");
    expect(rows[0].n).toBe(0);
  });
});
