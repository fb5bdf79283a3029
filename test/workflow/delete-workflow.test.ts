// DELETE /api/workflows/<slug>: the webhook and database trigger stop at once, the
// workflow is gone from the API, its runs stay readable, and the slug can be reused.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../server/api-keys/store.js';
import { adminQuery, createTestDatabase, databaseUrl, type TestDatabase } from '../helpers/db.js';
import { startTestNode, type TestNode } from '../helpers/node.js';
import { tempDir } from '../triggers/helpers.js';

let tdb: TestDatabase;
let node: TestNode;
let key: string;
let shopName: string;
let shop: pg.Pool;

beforeAll(async () => {
  tdb = await createTestDatabase();
  shopName = `${tdb.name}_del`;
  await adminQuery(`create database ${shopName}`);
  shop = new pg.Pool({ connectionString: databaseUrl(shopName), max: 2 });
  await shop.query('create table orders (id serial primary key, status text)');
  node = await startTestNode({
    databaseUrl: tdb.url,
    http: true,
    worker: true,
    singletons: true,
    env: { KHAOSFLOW_HOME: tempDir('kf-delete-'), KHAOSFLOW_CONNECTION_DEL_SHOP: databaseUrl(shopName) },
  });
  key = (await createApiKey(tdb.db, { scopes: ['read', 'write'] })).key;
});
afterAll(async () => {
  await node?.stop();
  await shop?.end();
  await adminQuery(`drop database if exists ${shopName} with (force)`);
  await tdb?.drop();
});

const api = (method: string, path: string, body?: string) =>
  fetch(`${node.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/yaml' },
    ...(body === undefined ? {} : { body }),
  });

const HOOK = `name: Shop Hook
trigger: { type: webhook, path: /shop/orders }
steps:
  - name: Note
    action: { type: log, message: "order {{trigger.data.id}}" }
`;
const ROWS = `name: Shop Rows
trigger: { type: database, connection: del_shop, table: orders, event: INSERT }
steps:
  - name: Note
    action: { type: log, message: "row" }
`;

describe('deleting a workflow', () => {
  it('stops its webhook and database trigger at once and keeps its runs readable', async () => {
    expect((await api('POST', '/api/workflows', HOOK)).status).toBe(201);
    expect((await api('POST', '/api/workflows', ROWS)).status).toBe(201);
    await expect
      .poll(async () => (await fetch(`${node.baseUrl}/hooks/shop/orders`, { method: 'POST', body: '{}' })).status, { timeout: 10_000 })
      .toBe(202);
    const accepted = await fetch(`${node.baseUrl}/hooks/shop/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"id": 7}',
    });
    const { run_id } = (await accepted.json()) as { run_id: string };
    await expect
      .poll(async () => (await tdb.db.selectFrom('khaosflow.db_trigger_installs').select('status').executeTakeFirst())?.status, {
        timeout: 20_000,
      })
      .toBe('installed');

    expect((await api('DELETE', '/api/workflows/shop-hook')).status).toBe(204);
    expect((await api('DELETE', '/api/workflows/shop-rows')).status).toBe(204);
    expect((await api('DELETE', '/api/workflows/shop-rows')).status).toBe(404);
    await expect
      .poll(async () => (await fetch(`${node.baseUrl}/hooks/shop/orders`, { method: 'POST', body: '{}' })).status, { timeout: 10_000 })
      .toBe(404);
    await expect
      .poll(async () => (await shop.query("select count(*)::int as n from pg_trigger where tgname like 'khaosflow_%'")).rows[0].n, {
        timeout: 20_000,
      })
      .toBe(0);
    expect((await api('GET', '/api/workflows/shop-hook')).status).toBe(404);
    const list = (await (await api('GET', '/api/workflows')).json()) as { workflows: { slug: string }[] };
    expect(list.workflows).toEqual([]);

    const run = await api('GET', `/api/runs/${run_id}`);
    expect(run.status).toBe(200);
    // The slug is free again.
    expect((await api('POST', '/api/workflows', HOOK)).status).toBe(201);
  });
});
