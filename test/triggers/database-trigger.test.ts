// Database triggers on a separate database: row changes are captured in the writer's
// transaction, so rows written while KhaosFlow is stopped, or while its connections
// are being killed, each become exactly one run.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminQuery, createTestDatabase, databaseUrl, type TestDatabase } from '../helpers/db.js';
import { startTestNode, type TestNode } from '../helpers/node.js';
import { applyYaml, runsOf } from './helpers.js';

let tdb: TestDatabase;
let shopName: string;
let shop: pg.Pool;
let node: TestNode | null = null;

beforeAll(async () => {
  tdb = await createTestDatabase();
  shopName = `${tdb.name}_shop`;
  await adminQuery(`create database ${shopName}`);
  shop = new pg.Pool({ connectionString: databaseUrl(shopName), max: 4 });
  await shop.query('create table orders (id serial primary key, status text not null, total numeric not null, customer text)');
  // Read by the node's connection resolver when it starts.
  process.env.KHAOSFLOW_CONNECTION_SHOP = databaseUrl(shopName);
});
afterAll(async () => {
  await node?.stop();
  await shop?.end();
  await adminQuery(`drop database if exists ${shopName} with (force)`);
  await tdb?.drop();
});

const startKhaosFlow = () => startTestNode({ databaseUrl: tdb.url, http: false, worker: false, singletons: true });

async function installStatus(slug: string) {
  return tdb.db
    .selectFrom('khaosflow.db_trigger_installs')
    .select(['status', 'error', 'condition'])
    .where('workflow_slug', '=', slug)
    .executeTakeFirst();
}

async function waitInstalled(slug: string): Promise<void> {
  await expect.poll(async () => (await installStatus(slug))?.status, { timeout: 20_000 }).toBe('installed');
}

/** Waits until every captured event of `slug` became a run, then checks there is exactly one run per matching row. */
async function expectOneRunPerRow(slug: string, matching: (row: { status: string }) => boolean): Promise<void> {
  const { rows } = await shop.query<{ id: number; status: string }>('select id, status from orders order by id');
  const expected = rows.filter(matching).map((r) => r.id);
  await expect
    .poll(async () => (await runsOf(tdb.db, slug)).length, { timeout: 45_000, interval: 100 })
    .toBeGreaterThanOrEqual(expected.length);
  await expect
    .poll(
      async () => Number((await shop.query('select count(*) from khaosflow_events.events where workflow = $1', [slug])).rows[0].count),
      { timeout: 20_000 },
    )
    .toBe(0);
  const runs = await runsOf(tdb.db, slug);
  const ids = runs.map((r) => (r.trigger_data as { data: { id: number } }).data.id);
  expect(runs).toHaveLength(expected.length);
  expect(new Set(ids).size).toBe(ids.length);
  expect([...ids].sort((a, b) => a - b)).toEqual(expected);
  for (const run of runs)
    expect(run.trigger_data).toMatchObject({
      event: 'INSERT',
      table: 'orders',
      schema: 'public',
      connection: 'shop',
      old: null,
      data: { status: 'new' },
    });
}

describe('database trigger', () => {
  it('turns rows inserted while KhaosFlow was stopped into exactly one run each', async () => {
    node = await startKhaosFlow();
    await applyYaml(
      tdb.db,
      `
name: New Orders
trigger:
  type: database
  connection: shop
  table: orders
  event: INSERT
  filter: "status = 'new'"
`,
    );
    await waitInstalled('new-orders');
    expect((await installStatus('new-orders'))?.condition).toBe(`NEW."status" = 'new'`);
    await node.stop();
    node = null;

    await shop.query(`insert into orders (status, total, customer) select 'new', g, 'c' || g from generate_series(1, 1000) g`);
    await shop.query(`insert into orders (status, total, customer) select 'draft', g, 'd' || g from generate_series(1, 500) g`);

    node = await startKhaosFlow();
    await expectOneRunPerRow('new-orders', (r) => r.status === 'new');
  });

  it('loses and repeats nothing while its connections to the database are killed mid-stream', async () => {
    await shop.query('truncate orders');
    await tdb.pool.query("delete from khaosflow.runs where workflow_id = (select id from khaosflow.workflows where slug = 'new-orders')");
    for (let batch = 0; batch < 20; batch++) {
      await shop.query(
        `insert into orders (status, total) select case when g % 3 = 0 then 'draft' else 'new' end, g from generate_series(1, 60) g`,
      );
      if (batch % 5 === 2) {
        // Kill KhaosFlow's connections to the shop (LISTEN and drain) once they are back from the previous kill.
        const kill =
          "select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'khaosflow-db-trigger' and datname = $1";
        await expect.poll(async () => (await shop.query(kill, [shopName])).rowCount, { timeout: 20_000 }).toBeGreaterThan(0);
      }
    }
    await expectOneRunPerRow('new-orders', (r) => r.status === 'new');
  });

  it('reports a filter Postgres rejects on the workflow, and removes the trigger when the workflow is disabled', async () => {
    await applyYaml(tdb.db, 'name: Broken Filter\ntrigger: { type: database, connection: shop, table: orders, filter: "status = = 1" }\n');
    await expect.poll(async () => (await installStatus('broken-filter'))?.status, { timeout: 20_000 }).toBe('failed');
    expect((await installStatus('broken-filter'))?.error).toMatch(/syntax error/);

    await applyYaml(tdb.db, 'name: Missing Table\ntrigger: { type: database, connection: shop, table: invoices }\n');
    await expect
      .poll(async () => (await installStatus('missing-table'))?.error, { timeout: 20_000 })
      .toMatch(/public\.invoices does not exist/);

    await tdb.pool.query("update khaosflow.workflows set enabled = false where slug = 'new-orders'");
    await expect.poll(async () => (await installStatus('new-orders')) ?? null, { timeout: 20_000 }).toBeNull();
    const { rows } = await shop.query("select tgname from pg_trigger where tgname like 'khaosflow_new-orders%'");
    expect(rows).toEqual([]);
    const before = (await runsOf(tdb.db, 'new-orders')).length;
    await shop.query("insert into orders (status, total) values ('new', 1)");
    expect(Number((await shop.query('select count(*) from khaosflow_events.events')).rows[0].count)).toBe(0);
    expect(await runsOf(tdb.db, 'new-orders')).toHaveLength(before);
  });
});
