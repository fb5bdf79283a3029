// POST /api/import/zapier with a real export: the workflows and report come back; with
// ?apply=true they are stored disabled until someone reviews them.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../server/api-keys/store.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { startTestNode, type TestNode } from '../helpers/node.js';
import { tempDir } from '../triggers/helpers.js';

let tdb: TestDatabase;
let node: TestNode;
let writer: string;
let reader: string;
const exportText = readFileSync(new URL('./fixtures/design-team-watercooler.json', import.meta.url), 'utf8');

beforeAll(async () => {
  tdb = await createTestDatabase();
  node = await startTestNode({
    databaseUrl: tdb.url,
    http: true,
    worker: false,
    singletons: false,
    env: { KHAOSFLOW_HOME: tempDir('kf-import-') },
  });
  writer = (await createApiKey(tdb.db, { scopes: ['read', 'write'] })).key;
  reader = (await createApiKey(tdb.db, { scopes: ['read'] })).key;
});
afterAll(async () => {
  await node?.stop();
  await tdb?.drop();
});

const post = (query: string, body: string, key = writer) =>
  fetch(`${node.baseUrl}/api/import/zapier${query}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body,
  });

describe('POST /api/import/zapier', () => {
  it('converts an export without storing anything', async () => {
    const res = await post('', exportText);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      workflows: { slug: string; yaml: string; problems: string[] }[];
      report: { totals: { zaps: number } };
    };
    expect(body.workflows.length).toBeGreaterThan(0);
    expect(body.report.totals.zaps).toBe(body.workflows.length);
    for (const workflow of body.workflows) {
      expect(workflow.yaml).toContain('name:');
      expect(workflow.problems).toEqual([]);
    }
    const { rows } = await tdb.pool.query('select count(*)::int as n from khaosflow.workflows');
    expect(rows[0].n).toBe(0);
  });

  it('stores the workflows disabled with ?apply=true', async () => {
    const res = await post('?apply=true', exportText);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { workflows: { slug: string; stored: { version: number } }[] };
    const { rows } = await tdb.pool.query<{ slug: string; enabled: boolean }>(
      'select slug, enabled from khaosflow.workflows order by slug',
    );
    expect(rows.map((r) => r.slug)).toEqual(body.workflows.map((w) => w.slug).sort());
    expect(rows.every((r) => !r.enabled)).toBe(true);
    expect(body.workflows.every((w) => w.stored.version === 1)).toBe(true);
  });

  it('says what is wrong with something that is not an export, and refuses a read-only key', async () => {
    const bad = await post('', JSON.stringify({ hello: 'world' }));
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { error: { message: string } }).error.message.length).toBeGreaterThan(10);
    expect((await post('', exportText, reader)).status).toBe(403);
  });
});
