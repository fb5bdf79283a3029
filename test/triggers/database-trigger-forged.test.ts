// Database-trigger events cannot be forged: another role on the watched database can
// neither attach the capture function to a table of its own nor get a run from an
// event that is not from the table and operation the workflow watches, while an
// application role with only INSERT on the watched table still fires the trigger.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { adminQuery, createTestDatabase, databaseUrl, type TestDatabase } from '../helpers/db.js';
import { startTestNode, type TestNode } from '../helpers/node.js';
import { applyYaml, runsOf } from './helpers.js';

let tdb: TestDatabase;
let shopName: string;
let shop: pg.Pool;
let node: TestNode;
const role = `kf_forger_${process.pid}`;

beforeAll(async () => {
  tdb = await createTestDatabase();
  shopName = `${tdb.name}_forge`;
  await adminQuery(`create database ${shopName}`);
  shop = new pg.Pool({ connectionString: databaseUrl(shopName), max: 2 });
  await shop.query('create table orders (id serial primary key, status text not null)');
  await adminQuery(`drop role if exists ${role}`);
  await adminQuery(`create role ${role} login password 'forger-pass'`);
  await shop.query(`grant usage on schema public to ${role}; grant create on schema public to ${role}`);
  await shop.query(`grant insert on orders to ${role}; grant usage on sequence orders_id_seq to ${role}`);
  process.env.KHAOSFLOW_CONNECTION_FORGE_SHOP = databaseUrl(shopName);
  node = await startTestNode({ databaseUrl: tdb.url, http: false, worker: false, singletons: true });
  await applyYaml(tdb.db, 'name: New Orders\ntrigger: { type: database, connection: forge_shop, table: orders, event: INSERT }\n');
  await vi.waitFor(
    async () => {
      const install = await tdb.db.selectFrom('khaosflow.db_trigger_installs').select(['status', 'error']).executeTakeFirst();
      if (install?.status !== 'installed') throw new Error(`trigger not installed yet: ${JSON.stringify(install)}`);
    },
    { timeout: 20_000, interval: 100 },
  );
});
afterAll(async () => {
  await node?.stop();
  await shop?.end();
  await adminQuery(`drop database if exists ${shopName} with (force)`);
  await adminQuery(`drop role if exists ${role}`);
  await tdb?.drop();
});

function asForger(): pg.Client {
  const url = new URL(databaseUrl(shopName));
  url.username = role;
  url.password = 'forger-pass';
  return new pg.Client({ connectionString: url.toString() });
}

describe('database trigger events', () => {
  it('refuses another role the capture function and the events table, while its inserts into the watched table still fire', async () => {
    const forger = asForger();
    await forger.connect();
    try {
      await forger.query('create table my_table (id int)');
      await expect(
        forger.query(`create trigger forge after insert on my_table for each row execute function khaosflow_events.capture('new-orders')`),
      ).rejects.toMatchObject({ code: '42501' });
      await expect(
        forger.query(
          `insert into khaosflow_events.events (workflow, op, table_schema, table_name) values ('new-orders', 'INSERT', 'public', 'orders')`,
        ),
      ).rejects.toMatchObject({ code: '42501' });
      await forger.query(`insert into orders (status) values ('placed by the app role')`);
    } finally {
      await forger.end();
    }
    await expect.poll(async () => (await runsOf(tdb.db, 'new-orders')).length, { timeout: 20_000, interval: 100 }).toBe(1);
  });

  it('gives no run to an event from another table or operation, and deletes it', async () => {
    // Written by the owner, as a role that still had the rights could have done.
    await shop.query(
      `insert into khaosflow_events.events (workflow, op, table_schema, table_name, new_row)
       values ('new-orders', 'INSERT', 'public', 'customers', '{"id": 99}'), ('new-orders', 'DELETE', 'public', 'orders', null)`,
    );
    await shop.query(`insert into orders (status) values ('real')`);
    await expect.poll(async () => (await runsOf(tdb.db, 'new-orders')).length, { timeout: 20_000, interval: 100 }).toBe(2);
    await expect
      .poll(async () => Number((await shop.query('select count(*) from khaosflow_events.events')).rows[0].count), { timeout: 20_000 })
      .toBe(0);
    const runs = await runsOf(tdb.db, 'new-orders');
    expect(runs.map((r) => (r.trigger_data as { table: string; event: string }).table)).toEqual(['orders', 'orders']);
    expect(runs.every((r) => (r.trigger_data as { event: string }).event === 'INSERT')).toBe(true);
  });
});
