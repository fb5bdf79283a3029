// Who may call the workflow authoring, test-run and run routes: an API key with the
// route's scope, or a console session whose role is editor or above for changes
// (viewer for reads). Viewers get 403 from the server; a session's changes must come
// from the console's own origin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../server/api-keys/store.js';
import { callApi, consoleSession, waitForRunEnd, type CallOptions } from '../helpers/api.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { startTestNode, type TestNode } from '../helpers/node.js';
import { tempDir } from '../triggers/helpers.js';

let tdb: TestDatabase;
let node: TestNode;
let writer: string;
let reader: string;
let editor: string;
let viewer: string;
let admin: string;
let runId: string;

const YAML = (name: string) => `name: ${name}\nsteps:\n  - name: Say\n    action: { type: log, message: hi }\n`;

beforeAll(async () => {
  tdb = await createTestDatabase();
  node = await startTestNode({
    databaseUrl: tdb.url,
    http: true,
    worker: true,
    singletons: false,
    env: { KHAOSFLOW_HOME: tempDir('kf-api-access-') },
  });
  writer = (await createApiKey(tdb.db, { scopes: ['read', 'write'] })).key;
  reader = (await createApiKey(tdb.db, { scopes: ['read'] })).key;
  editor = await consoleSession(tdb.db, 'editor');
  viewer = await consoleSession(tdb.db, 'viewer');
  admin = await consoleSession(tdb.db, 'admin');
  expect((await callApi(node.baseUrl, 'POST', '/api/workflows', { key: writer, yaml: YAML('Guarded') })).status).toBe(201);
  const started = await callApi(node.baseUrl, 'POST', '/api/workflows/guarded/test', { key: writer, json: {} });
  runId = started.json.run_id;
  await waitForRunEnd(node.baseUrl, writer, runId);
});
afterAll(async () => {
  await node?.stop();
  await tdb?.drop();
});

interface Route {
  method: string;
  path: () => string;
  body?: () => Pick<CallOptions, 'json' | 'yaml'>;
}

const WRITES: Route[] = [
  { method: 'POST', path: () => '/api/workflows', body: () => ({ yaml: YAML(`New ${Math.random().toString(36).slice(2, 8)}`) }) },
  { method: 'PUT', path: () => '/api/workflows/guarded', body: () => ({ yaml: YAML('Guarded') }) },
  { method: 'POST', path: () => '/api/workflows/guarded/rollback', body: () => ({ json: { version: 1 } }) },
  { method: 'POST', path: () => '/api/workflows/test', body: () => ({ json: { yaml: YAML('Draft'), data: {} } }) },
  { method: 'POST', path: () => '/api/workflows/guarded/test', body: () => ({ json: {} }) },
  { method: 'POST', path: () => `/api/runs/${runId}/retry`, body: () => ({ json: { from_step: 'say' } }) },
  { method: 'POST', path: () => '/api/workflows/guarded/runs', body: () => ({ json: { data: {} } }) },
  { method: 'POST', path: () => '/api/workflows/guarded/enable' },
];
const READS: Route[] = [
  { method: 'GET', path: () => '/api/workflows/guarded/versions' },
  { method: 'GET', path: () => '/api/workflows/guarded/versions/1' },
  { method: 'GET', path: () => `/api/runs/${runId}` },
  { method: 'GET', path: () => `/api/runs/${runId}/events` },
  { method: 'GET', path: () => '/api/workflows/guarded' },
  { method: 'GET', path: () => '/api/workflows/guarded/samples' },
];

const call = (route: Route, auth: CallOptions) => callApi(node.baseUrl, route.method, route.path(), { ...auth, ...(route.body?.() ?? {}) });
const label = (r: Route) => `${r.method} ${r.path().replace(/[0-9a-f-]{36}/, '<run>')}`;

describe('API access', () => {
  it.each(WRITES.map((r) => [label(r), r] as const))(
    '%s: 401 without credentials, 403 for a read-only key or a viewer',
    async (_l, route) => {
      expect((await call(route, {})).status).toBe(401);
      expect((await call(route, { key: reader })).status).toBe(403);
      const asViewer = await call(route, { cookie: viewer, origin: node.baseUrl });
      expect(asViewer.status).toBe(403);
      expect(asViewer.json.error.message).toContain('viewer');
    },
  );

  it.each(WRITES.map((r) => [label(r), r] as const))(
    '%s: allowed for a write key and for an editor or admin session',
    async (_l, route) => {
      for (const auth of [{ key: writer }, { cookie: editor, origin: node.baseUrl }, { cookie: admin, origin: node.baseUrl }]) {
        const res = await call(route, auth);
        expect(res.status, JSON.stringify(res.json)).toBeGreaterThanOrEqual(200);
        expect(res.status).toBeLessThan(300);
      }
    },
  );

  it('refuses a session request that changes something from another origin, or with no origin', async () => {
    const route = WRITES[3]!;
    const foreign = await call(route, { cookie: editor, origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(foreign.json.error.code).toBe('cross_origin');
    expect((await call(route, { cookie: editor })).status).toBe(403);
  });

  it.each(READS.map((r) => [label(r), r] as const))('%s: read by a read key or a viewer session, 401 without', async (_l, route) => {
    expect((await call(route, {})).status).toBe(401);
    expect((await call(route, { key: reader })).status).toBe(200);
    expect((await call(route, { cookie: viewer })).status).toBe(200);
  });

  it('answers 401 for an ended session, and deletes only for editors', async () => {
    expect((await callApi(node.baseUrl, 'GET', `/api/runs/${runId}`, { cookie: 'kf_session=not-a-session' })).status).toBe(401);
    expect((await callApi(node.baseUrl, 'DELETE', '/api/workflows/guarded', { cookie: viewer, origin: node.baseUrl })).status).toBe(403);
    expect((await callApi(node.baseUrl, 'DELETE', '/api/workflows/guarded', { key: reader })).status).toBe(403);
    expect((await callApi(node.baseUrl, 'DELETE', '/api/workflows/guarded', { cookie: editor, origin: node.baseUrl })).status).toBe(204);
  });
});
