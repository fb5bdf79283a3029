import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseDeleteAction } from '../../../server/actions/database/delete.js';
import { databaseInsertAction } from '../../../server/actions/database/insert.js';
import { closeDatabasePools, postgresPool } from '../../../server/connectors/database-pools.js';
import { databaseQueryAction } from '../../../server/actions/database/query.js';
import { databaseUpdateAction } from '../../../server/actions/database/update.js';
import { NonRetryableError, StepError } from '../../../server/core/errors.js';
import { runAction, testContext } from '../files/action-context.js';
import { mariadbServer, postgresServer, type SqlServer } from './sql-dialects.js';

const postgres = await postgresServer();
const mariadb = await mariadbServer();
const servers = [postgres, ...(mariadb ? [mariadb] : [])];

afterAll(async () => {
  await closeDatabasePools();
  await Promise.all(servers.map((s) => s.drop()));
});

const HOSTILE = "'; drop table customers; --";

const schemas: Record<SqlServer['name'], string[]> = {
  PostgreSQL: [
    'create table customers (id serial primary key, name text not null, email text unique, tags jsonb, note text)',
    'create table ledger (id int primary key, entry text)',
    'create table products (id int primary key, stock int not null)',
  ],
  MariaDB: [
    'create table customers (id int auto_increment primary key, name varchar(200) not null, email varchar(200) unique, tags json, note text)',
    'create table ledger (id int primary key, entry text)',
    'create table products (id int primary key, stock int not null)',
  ],
};

// Without MariaDB (and without CI=true) only PostgreSQL runs; sql-dialects.ts says so.
describe.each(servers)('$name', (server) => {
  const ctx = () => testContext({ connections: { main: server.url } });
  const query = (q: string, parameters?: unknown[], extra: Record<string, unknown> = {}) =>
    runAction(databaseQueryAction, ctx(), { connection: 'main', query: q, ...(parameters ? { parameters } : {}), ...extra });
  const count = async (table: string) => Number((await server.exec(`select count(*) as n from ${table}`))[0]!.n);

  beforeAll(async () => {
    for (const sql of schemas[server.name]) await server.exec(sql);
  });

  it('binds hostile values as data: stored verbatim, and the table is still there', async () => {
    const { output, result } = await query(`insert into customers (name, email) values (${server.ph(1)}, ${server.ph(2)})`, [
      HOSTILE,
      'x@example.com',
    ]);
    expect(output.row_count).toBe(1);
    expect(result).toEqual([]);
    const found = await query(`select name from customers where email = ${server.ph(1)}`, ['x@example.com']);
    expect(found.result).toEqual([{ name: HOSTILE }]);
    expect(found.output).toEqual({ rows: [{ name: HOSTILE }], row_count: 1 });
    await runAction(databaseInsertAction, ctx(), { connection: 'main', table: 'customers', data: { name: HOSTILE, email: HOSTILE } });
    expect(await count('customers')).toBe(2);
  });

  it('fills ANY($1) / IN (?) from a list, and an empty list matches nothing', async () => {
    await server.exec('insert into products (id, stock) values (1, 5), (2, 0), (3, 7)');
    const some = await query(`select id, stock from products where ${server.inList('id', 1)} order by id`, [[1, 3]]);
    expect(some.result).toEqual([
      { id: 1, stock: 5 },
      { id: 3, stock: 7 },
    ]);
    const none = await query(`select id from products where ${server.inList('id', 1)}`, [[]]);
    expect(none.result).toEqual([]);
  });

  it('inserts one row or a list of rows, names keys that are not columns, and takes schema-qualified tables', async () => {
    const qualified = server.name === 'PostgreSQL' ? 'public.customers' : `${server.database}.customers`;
    const one = await runAction(databaseInsertAction, ctx(), {
      connection: 'main',
      table: qualified,
      data: { name: 'Ada', email: 'ada@example.com', tags: ['vip', 'early'] },
      ...(server.name === 'PostgreSQL' ? { returning: ['id', 'name'] } : {}),
    });
    expect(one.output.row_count).toBe(1);
    if (server.name === 'PostgreSQL') expect(one.result).toEqual([{ id: expect.any(Number), name: 'Ada' }]);
    else expect(one.output.insert_id).toEqual(expect.any(Number));
    const [stored] = await server.exec(`select tags from customers where email = 'ada@example.com'`);
    expect(typeof stored!.tags === 'string' ? JSON.parse(stored!.tags) : stored!.tags).toEqual(['vip', 'early']);

    const many = await runAction(databaseInsertAction, ctx(), {
      connection: 'main',
      table: 'customers',
      data: [{ name: 'Bo', email: 'bo@example.com' }, { name: 'Cy' }],
    });
    expect(many.output.row_count).toBe(2);

    const before = await count('customers');
    await expect(
      runAction(databaseInsertAction, ctx(), {
        connection: 'main',
        table: 'customers',
        data: { name: 'Dee', account_manager: 'sam', 'name"); drop table customers; --': 1 },
      }),
    ).rejects.toThrow(
      /The data for database_insert names keys that are not columns of customers: account_manager, name"\); drop table customers; --\. Its columns are: id, name, email, tags, note\./,
    );
    expect(await count('customers')).toBe(before);
    await expect(runAction(databaseInsertAction, ctx(), { connection: 'main', table: 'no_such_table', data: { a: 1 } })).rejects.toThrow(
      /There is no table no_such_table on connection "main"/,
    );
  });

  it('upserts: on_conflict update changes the other columns, nothing keeps the row', async () => {
    const upsert = (name: string, action: 'update' | 'nothing') =>
      runAction(databaseInsertAction, ctx(), {
        connection: 'main',
        table: 'customers',
        data: { name, email: 'up@example.com' },
        on_conflict: { columns: ['email'], action },
      });
    await upsert('First', 'nothing');
    await upsert('Second', 'nothing');
    expect(await server.exec(`select name from customers where email = 'up@example.com'`)).toEqual([{ name: 'First' }]);
    await upsert('Third', 'update');
    expect(await server.exec(`select name from customers where email = 'up@example.com'`)).toEqual([{ name: 'Third' }]);
  });

  it('updates and deletes by where: equality, null as IS NULL, a list as IN', async () => {
    await server.exec("insert into ledger (id, entry) values (10, 'a'), (11, 'b'), (12, null), (13, 'd')");
    const updated = await runAction(databaseUpdateAction, ctx(), {
      connection: 'main',
      table: 'ledger',
      data: { entry: 'changed' },
      where: { id: [10, 11] },
      ...(server.name === 'PostgreSQL' ? { returning: '*' } : {}),
    });
    expect(updated.output.row_count).toBe(2);
    if (server.name === 'PostgreSQL') expect(updated.result.map((r: { id: number }) => r.id).sort()).toEqual([10, 11]);
    await runAction(databaseUpdateAction, ctx(), {
      connection: 'main',
      table: 'ledger',
      data: { entry: 'was null' },
      where: { entry: null },
    });
    expect(await server.exec('select entry from ledger where id = 12')).toEqual([{ entry: 'was null' }]);

    const deleted = await runAction(databaseDeleteAction, ctx(), { connection: 'main', table: 'ledger', where: { id: 13, entry: 'd' } });
    expect(deleted.output.row_count).toBe(1);
    expect(
      (await runAction(databaseDeleteAction, ctx(), { connection: 'main', table: 'ledger', where: { id: [] } })).output.row_count,
    ).toBe(0);
    await expect(runAction(databaseDeleteAction, ctx(), { connection: 'main', table: 'ledger', where: { nope: 1 } })).rejects.toThrow(
      /database_delete names a key that is not a column of ledger: nope/,
    );
    await expect(runAction(databaseDeleteAction, ctx(), { connection: 'main', table: 'ledger', where: {} })).rejects.toThrow(
      /needs where: with at least one column/,
    );
  });

  it('runs statements in one transaction and rolls all of them back when one fails', async () => {
    const ph = server.ph;
    const failing = runAction(databaseQueryAction, ctx(), {
      connection: 'main',
      statements: [
        { query: `insert into ledger (id, entry) values (${ph(1)}, ${ph(2)})`, parameters: [100, 'first'] },
        { query: `insert into ledger (id, entry) values (${ph(1)}, ${ph(2)})`, parameters: [101, 'second'] },
        { query: `insert into ledger (id, entry) values (${ph(1)}, ${ph(2)})`, parameters: [100, 'duplicate key'] },
      ],
    });
    await expect(failing).rejects.toThrow(/\(statement 3 of 3\).*The transaction was rolled back: none of its statements took effect\./);
    await expect(failing).rejects.toBeInstanceOf(NonRetryableError);
    expect(await server.exec('select id from ledger where id in (100, 101)')).toEqual([]);

    const ok = await runAction(databaseQueryAction, ctx(), {
      connection: 'main',
      statements: [
        { query: `insert into ledger (id, entry) values (${ph(1)}, ${ph(2)})`, parameters: [200, 'one'] },
        { query: 'select id, entry from ledger where id = 200' },
      ],
    });
    expect(ok.result).toEqual([{ id: 200, entry: 'one' }]);
    expect(ok.output.statements).toHaveLength(2);
    expect(ok.output.statements[0].row_count).toBe(1);
  });

  it('cancels a statement that runs past its timeout, with a message saying what to do', async () => {
    const slow = query(server.sleep(5), undefined, { timeout: 500 });
    await expect(slow).rejects.toThrow(
      /The query on connection "main" ran longer than its timeout of 500 ms and was cancelled\. Raise timeout: on the step's action/,
    );
    // A timeout may pass on a quieter moment: the step is retried.
    await expect(slow).rejects.not.toBeInstanceOf(NonRetryableError);
    await expect(slow).rejects.toBeInstanceOf(StepError);
    expect((await query('select 1 as one')).result).toEqual([{ one: 1 }]);
  });

  it('fails on SQL errors without retrying and says where', async () => {
    const broken = query('selec nothing');
    await expect(broken).rejects.toThrow(/The query failed on connection "main": .*syntax/i);
    await expect(broken).rejects.toBeInstanceOf(NonRetryableError);
  });

  it('says which connection to create when the named one does not exist', async () => {
    await expect(runAction(databaseQueryAction, testContext(), { connection: 'reporting', query: 'select 1' })).rejects.toThrow(
      /No connection named "reporting"\. Create it in the console or with KHAOSFLOW_CONNECTION_REPORTING=postgres:\/\//,
    );
  });

  it('uses the connection named "default" when the step names none', async () => {
    const viaDefault = testContext({ connections: { default: server.url } });
    const { result } = await runAction(databaseQueryAction, viaDefault, { query: 'select count(*) as n from products' });
    expect(Number(result[0].n)).toBe(3);
    expect(viaDefault.logs).toEqual([]);
    // The connection's password (if any) is registered for redaction.
    const password = new URL(server.url).password;
    expect(viaDefault.secretsSeen).toEqual(password ? [decodeURIComponent(password)] : []);
  });
});

describe('PostgreSQL specifics', () => {
  it('refuses $1 without parameters, naming the step and how to add them', async () => {
    const ctx = testContext({ connections: { main: postgres.url }, step: 'Update Inventory' });
    await expect(
      runAction(databaseQueryAction, ctx, { connection: 'main', query: 'UPDATE products SET stock = stock - 1 WHERE id = ANY($1)' }),
    ).rejects.toThrow(
      'The query of step "Update Inventory" uses $1 but no parameters are given; add parameters: with one value per placeholder',
    );
  });

  it('refuses to run on a KhaosFlow database without the restricted step role, asking for a connection', async () => {
    // This server's database was not migrated by KhaosFlow: no khaosflow.step_role
    // (own-database.test.ts runs such steps on a migrated one, as that role).
    const pg = await import('pg');
    const pool = new pg.default.Pool({ connectionString: postgres.url, max: 2 });
    try {
      const ctx = testContext({ pool });
      await expect(runAction(databaseQueryAction, ctx, { query: 'select current_database() as db' })).rejects.toThrow(
        /names no connection, and KhaosFlow's own database has no restricted role for steps .* Add connection: <name> to the step/,
      );
    } finally {
      await pool.end();
    }
  });

  it('cancels the running statement on the server when the step is cancelled', async () => {
    const controller = new AbortController();
    const ctx = testContext({ connections: { main: postgres.url }, signal: controller.signal });
    const running = runAction(databaseQueryAction, ctx, { connection: 'main', query: "select pg_sleep(30), 'kf-cancel-me'" });
    running.catch(() => undefined);
    const active = async () =>
      (
        await postgres.exec(
          "select count(*)::int as n from pg_stat_activity where query like '%kf-cancel-me%' and state = 'active' and pid <> pg_backend_pid()",
        )
      )[0]!.n;
    await expect.poll(active, { timeout: 10_000, interval: 20 }).toBe(1);
    controller.abort(new Error('cancelled by the test'));
    await expect(running).rejects.toThrow();
    await expect.poll(active, { timeout: 10_000, interval: 20 }).toBe(0);
  });
});

describe('MySQL specifics', () => {
  it.skipIf(!mariadb)('checks that there is one value per ? placeholder, ignoring ? inside strings and comments', async () => {
    const ctx = testContext({ connections: { main: mariadb!.url } });
    const { result } = await runAction(databaseQueryAction, ctx, {
      connection: 'main',
      query: "select ? as a, '?' as b /* ? */ -- ?\n",
      parameters: ['x'],
    });
    expect(result).toEqual([{ a: 'x', b: '?' }]);
    await expect(
      runAction(databaseQueryAction, ctx, { connection: 'main', query: 'select ? as a, ? as b', parameters: [1] }),
    ).rejects.toThrow('The query has 2 ? placeholders but 1 parameter was given');
  });

  it.skipIf(!mariadb)('refuses returning: on an update, which MySQL and MariaDB cannot do', async () => {
    const ctx = testContext({ connections: { main: mariadb!.url } });
    await expect(
      runAction(databaseUpdateAction, ctx, { connection: 'main', table: 'ledger', data: { entry: 'x' }, where: { id: 1 }, returning: '*' }),
    ).rejects.toThrow(/cannot return updated rows; remove returning:/);
  });
});

describe('connection pools', () => {
  it('keeps one pool per connection URL, closes it when the URL changes, and closes all at shutdown', async () => {
    const before = postgresPool({ name: 'rotating', url: `${postgres.url}?application_name=before` });
    expect(postgresPool({ name: 'rotating', url: `${postgres.url}?application_name=before` })).toBe(before);
    const after = postgresPool({ name: 'rotating', url: `${postgres.url}?application_name=after` });
    expect(after).not.toBe(before);
    await expect.poll(() => before.ended).toBe(true);
    expect((await after.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
    await closeDatabasePools();
    expect(after.ended).toBe(true);
  });
});
