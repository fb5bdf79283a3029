// "Sample from the table" for a database trigger: the newest row of the watched table
// that passes the filter, for a saved workflow or an unsaved draft; clear refusals for
// other triggers and missing tables; viewers' keys without write are refused.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../server/api-keys/store.js';
import { adminQuery, createTestDatabase, databaseUrl, type TestDatabase } from '../helpers/db.js';
import { startTestNode, type TestNode } from '../helpers/node.js';
import { applyYaml, tempDir } from '../triggers/helpers.js';

let tdb: TestDatabase;
let node: TestNode;
let writer: string;
let reader: string;
let shopName: string;
let shop: pg.Pool;

beforeAll(async () => {
  tdb = await createTestDatabase();
  shopName = `${tdb.name}_sample`;
  await adminQuery(`create database ${shopName}`);
  shop = new pg.Pool({ connectionString: databaseUrl(shopName), max: 2 });
  await shop.query('create table orders (id serial primary key, status text, total numeric)');
  await shop.query("insert into orders (status, total) values ('new', 10), ('paid', 20), ('new', 30), ('paid', 40)");
  node = await startTestNode({
    databaseUrl: tdb.url,
    http: true,
    worker: false,
    singletons: false,
    env: { KHAOSFLOW_HOME: tempDir('kf-table-sample-'), KHAOSFLOW_CONNECTION_SAMPLE_SHOP: databaseUrl(shopName) },
  });
  await applyYaml(
    tdb.db,
    'name: New Orders\ntrigger: { type: database, connection: sample_shop, table: orders, event: INSERT, filter: "status = \'new\'" }\n',
  );
  await applyYaml(tdb.db, 'name: Hook Only\ntrigger: { type: webhook, path: /hook-only }\n');
  writer = (await createApiKey(tdb.db, { scopes: ['read', 'write'] })).key;
  reader = (await createApiKey(tdb.db, { scopes: ['read'] })).key;
});
afterAll(async () => {
  await node?.stop();
  await shop?.end();
  await adminQuery(`drop database if exists ${shopName} with (force)`);
  await tdb?.drop();
});

async function sample(slug: string, body?: unknown, key = writer) {
  const res = await fetch(`${node.baseUrl}/api/workflows/${slug}/table-sample`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? '{}' : JSON.stringify(body),
  });
  return {
    status: res.status,
    body: (await res.json()) as { sample?: { data: Record<string, unknown> } | null; error?: { message: string } },
  };
}

describe('sample from the table', () => {
  it('answers the newest row that passes the filter, shaped like an INSERT event', async () => {
    const { status, body } = await sample('new-orders');
    expect(status).toBe(200);
    expect(body.sample).toEqual({
      event: 'INSERT',
      schema: 'public',
      table: 'orders',
      connection: 'sample_shop',
      data: { id: 3, status: 'new', total: 30 },
      old: null,
    });
  });

  it("uses an unsaved draft's trigger, and answers null when no row matches", async () => {
    const draft =
      'name: New Orders\ntrigger: { type: database, connection: sample_shop, table: orders, event: INSERT, filter: "status = \'paid\'" }\n';
    expect((await sample('new-orders', { yaml: draft })).body.sample?.data).toEqual({ id: 4, status: 'paid', total: 40 });
    const none = draft.replace("'paid'", "'refunded'");
    expect(await sample('new-orders', { yaml: none })).toEqual({ status: 200, body: { sample: null } });
  });

  it('refuses other triggers, missing tables and keys without write, saying what to do', async () => {
    const hook = await sample('hook-only');
    expect(hook.status).toBe(409);
    expect(hook.body.error!.message).toContain('for database triggers only');
    const missing = await sample('new-orders', {
      yaml: 'name: New Orders\ntrigger: { type: database, connection: sample_shop, table: no_such_table, event: INSERT }\n',
    });
    expect(missing.status).toBe(422);
    expect(missing.body.error!.message).toBe('Table public.no_such_table was not found in connection "sample_shop".');
    expect((await sample('new-orders', undefined, reader)).status).toBe(403);
    expect((await sample('no-such-workflow')).status).toBe(404);
  });
});
