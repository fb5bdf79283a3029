// POST /api/connections/test: test a connection before saving it, over real HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../server/api-keys/store.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { startTestNode, type TestNode } from '../helpers/node.js';
import { tempDir } from '../triggers/helpers.js';

let tdb: TestDatabase;
let node: TestNode;
let key: string;
beforeAll(async () => {
  tdb = await createTestDatabase();
  node = await startTestNode({
    databaseUrl: tdb.url,
    http: true,
    worker: false,
    singletons: false,
    env: { KHAOSFLOW_HOME: tempDir('kf-conn-api-') },
  });
  key = (await createApiKey(tdb.db, { scopes: ['read', 'write'] })).key;
});
afterAll(async () => {
  await node?.stop();
  await tdb?.drop();
});

const testUnsaved = (body: unknown, apiKey: string | null = key) =>
  fetch(`${node.baseUrl}/api/connections/test`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
    body: JSON.stringify(body),
  });

describe('POST /api/connections/test', () => {
  it('connects to an unsaved connection and saves nothing', async () => {
    const res = await testUnsaved({ name: 'try_db', url: tdb.url });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true });
    const list = (await (await fetch(`${node.baseUrl}/api/connections`, { headers: { authorization: `Bearer ${key}` } })).json()) as {
      connections: Array<{ name: string }>;
    };
    expect(list.connections.map((c) => c.name)).not.toContain('try_db');
  });

  it('reports a failure as one sentence without the password', async () => {
    const res = await testUnsaved({ url: 'postgres://u:pw-not-shown@127.0.0.1:1/x' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ok: boolean; message: string };
    expect(body.ok).toBe(false);
    expect(body.message).toMatch(/^Could not connect to postgres connection "unsaved"/);
    expect(body.message).not.toContain('pw-not-shown');
  });

  it('answers 400 for a body without a URL, and needs a write key', async () => {
    const bad = await testUnsaved({ options: {} });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/^Invalid connection: url: /);
    expect((await testUnsaved({ url: tdb.url }, null)).status).toBe(401);
    const reader = (await createApiKey(tdb.db, { scopes: ['read'] })).key;
    expect((await testUnsaved({ url: tdb.url }, reader)).status).toBe(403);
  });
});
