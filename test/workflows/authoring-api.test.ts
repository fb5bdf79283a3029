// Creating and changing workflows over the API: YAML in, versions kept exactly as
// written (comments and key order), problems at their line and column, rollback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../server/api-keys/store.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { startTestNode, type TestNode } from '../helpers/node.js';
import { tempDir } from '../triggers/helpers.js';

let tdb: TestDatabase;
let node: TestNode;
let writer: string;
let reader: string;

beforeAll(async () => {
  tdb = await createTestDatabase();
  node = await startTestNode({
    databaseUrl: tdb.url,
    http: true,
    worker: false,
    singletons: false,
    env: { KHAOSFLOW_HOME: tempDir('kf-authoring-') },
  });
  writer = (await createApiKey(tdb.db, { scopes: ['read', 'write'] })).key;
  reader = (await createApiKey(tdb.db, { scopes: ['read'] })).key;
});
afterAll(async () => {
  await node?.stop();
  await tdb?.drop();
});

const V1 = `# Orders from the shop
name: Order Intake
trigger: { type: webhook, path: /orders }
steps:
  - name: Note
    action: { type: log, message: "order {{trigger.data.id}}" }
`;
const V2 = `${V1}  # a second step, added later
  - name: Done
    action: { type: log, message: done }
`;

async function call(method: string, path: string, body?: string, opts: { key?: string | null; type?: string } = {}) {
  const key = opts.key === undefined ? writer : opts.key;
  const res = await fetch(`${node.baseUrl}/api/workflows${path}`, {
    method,
    headers: { 'content-type': opts.type ?? 'application/yaml', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    ...(body === undefined ? {} : { body }),
  });
  const text = await res.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {}
  return { status: res.status, text, json, type: res.headers.get('content-type') };
}

describe('workflow authoring API', () => {
  it('creates a workflow from YAML, refuses the same slug twice, and keeps the text exactly', async () => {
    const created = await call('POST', '', V1);
    expect(created.status).toBe(201);
    expect(created.json).toEqual({ slug: 'order-intake', version: 1 });
    expect((await call('POST', '', V1)).status).toBe(409);
    const v1 = await call('GET', '/order-intake/versions/1', undefined, { key: reader });
    expect(v1.status).toBe(200);
    expect(v1.type).toMatch(/application\/yaml/);
    expect(v1.text).toBe(V1);
  });

  it('adds a version on change, keeps it when unchanged, and lists versions newest first', async () => {
    expect((await call('PUT', '/order-intake', V2)).json).toEqual({ slug: 'order-intake', version: 2 });
    expect((await call('PUT', '/order-intake', V2)).json).toEqual({ slug: 'order-intake', version: 2 });
    const versions = await call('GET', '/order-intake/versions', undefined, { key: reader });
    expect(versions.json.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(versions.json.versions[0]).toEqual({
      version: 2,
      created_at: expect.any(String),
      created_by: expect.stringContaining('api key'),
    });
  });

  it('answers 422 with the problems at their line and column, as validate does', async () => {
    const broken = V1.replace('type: log', 'type: no_such_action');
    const refused = await call('PUT', '/order-intake', broken);
    expect(refused.status).toBe(422);
    expect(refused.json.error).toBe('invalid_workflow');
    expect(refused.json.problems).toEqual([
      expect.objectContaining({ line: 6, col: expect.any(Number), message: expect.stringContaining('no_such_action') }),
    ]);
    const validated = await call('POST', '/validate', broken, { key: reader });
    expect(validated.status).toBe(200);
    expect(validated.json).toEqual({ valid: false, problems: refused.json.problems });
    expect((await call('POST', '/validate', V1, { key: reader })).json).toEqual({ valid: true, problems: [] });
    const renamed = await call('PUT', '/order-intake', V1.replace('Order Intake', 'Other Name'));
    expect(renamed.status).toBe(422);
    expect(renamed.json.message).toContain('not "order-intake"');
  });

  it('rolls back by adding a version equal to an old one, comments included', async () => {
    const back = await call('POST', '/order-intake/rollback', JSON.stringify({ version: 1 }), { type: 'application/json' });
    expect(back.status).toBe(200);
    expect(back.json).toEqual({ slug: 'order-intake', version: 3 });
    expect((await call('GET', '/order-intake/versions/3', undefined, { key: reader })).text).toBe(V1);
    expect((await call('GET', '/order-intake/versions/9', undefined, { key: reader })).status).toBe(404);
  });

  it('refuses missing and read-only keys, and bodies that are not YAML', async () => {
    expect((await call('POST', '', V1, { key: null })).status).toBe(401);
    expect((await call('PUT', '/order-intake', V2, { key: reader })).status).toBe(403);
    expect((await call('POST', '', '{"name":"x"}', { type: 'application/json' })).status).toBe(415);
    expect((await call('PUT', '/nope', V1.replace('Order Intake', 'Nope'))).status).toBe(404);
  });
});
