// A database trigger's target Postgres really restarts while rows are being written
// (an embedded Postgres started for this test): every committed matching row becomes
// exactly one run once the database is back.
import fs from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../db/embedded.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { startTestNode, type TestNode } from '../helpers/node.js';
import { applyYaml, runsOf, tempDir } from './helpers.js';

let tdb: TestDatabase;
let home: string;
let shopDb: EmbeddedPostgres;
let node: TestNode;

beforeAll(async () => {
  home = tempDir('kf-restart-');
  [tdb, shopDb] = await Promise.all([createTestDatabase(), startEmbeddedPostgres({ home, database: 'shop' })]);
  await withShop((c) => c.query('create table orders (id serial primary key, status text not null, total numeric not null)'));
  process.env.KHAOSFLOW_CONNECTION_SHOP_PG = shopDb.url;
  node = await startTestNode({ databaseUrl: tdb.url, http: false, worker: false, singletons: true });
});
afterAll(async () => {
  await node?.stop();
  await shopDb?.stop();
  await tdb?.drop();
  fs.rmSync(home, { recursive: true, force: true });
});

/** Runs `work` on a fresh connection, retrying while the database is down (deadline 60 s). */
async function withShop<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const client = new pg.Client({ connectionString: shopDb.url });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return await work(client);
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

describe('database trigger across a Postgres restart', () => {
  it('turns every committed matching row into exactly one run', async () => {
    await applyYaml(
      tdb.db,
      `
name: Shop Orders
trigger: { type: database, connection: shop_pg, table: orders, event: INSERT, filter: "total >= 10" }
`,
    );
    await expect
      .poll(async () => (await tdb.db.selectFrom('khaosflow.db_trigger_installs').select('status').executeTakeFirst())?.status, {
        timeout: 20_000,
      })
      .toBe('installed');

    const insertBatch = () => withShop((c) => c.query("insert into orders (status, total) select 'new', g from generate_series(1, 40) g"));
    for (let i = 0; i < 10; i++) await insertBatch();
    const port = shopDb.port;
    await shopDb.stop();
    shopDb = await startEmbeddedPostgres({ home, database: 'shop' });
    expect(shopDb.port).toBe(port);
    for (let i = 0; i < 10; i++) await insertBatch();

    const expected = await withShop(async (c) =>
      (await c.query<{ id: number }>('select id from orders where total >= 10 order by id')).rows.map((r) => r.id),
    );
    expect(expected).toHaveLength(20 * 31);
    await expect
      .poll(async () => (await runsOf(tdb.db, 'shop-orders')).length, { timeout: 45_000, interval: 100 })
      .toBeGreaterThanOrEqual(expected.length);
    await expect
      .poll(() => withShop(async (c) => Number((await c.query('select count(*) from khaosflow_events.events')).rows[0].count)), {
        timeout: 20_000,
      })
      .toBe(0);
    const ids = (await runsOf(tdb.db, 'shop-orders')).map((r) => (r.trigger_data as { data: { id: number } }).data.id);
    expect(ids).toHaveLength(expected.length);
    expect([...ids].sort((a, b) => a - b)).toEqual(expected);
  });
});
