// MongoDB through database_query (and database_insert/update/delete on a mongodb
// connection). No MongoDB server can be installed on this machine, so these run only
// when MONGODB_URL names one (e.g. mongodb://127.0.0.1:27017/kf_test); without it they
// are skipped with a warning - also under CI=true, which is allowed for MongoDB only.
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { databaseDeleteAction } from '../../../server/actions/database/delete.js';
import { databaseInsertAction } from '../../../server/actions/database/insert.js';
import { closeDatabasePools } from '../../../server/connectors/database-pools.js';
import { databaseQueryAction } from '../../../server/actions/database/query.js';
import { databaseUpdateAction } from '../../../server/actions/database/update.js';
import { NonRetryableError } from '../../../server/core/errors.js';
import { runAction, testContext } from '../files/action-context.js';

const MONGODB_URL = process.env.MONGODB_URL;
if (!MONGODB_URL)
  console.warn(
    'MONGODB_URL is not set: the MongoDB action tests are SKIPPED (no MongoDB server can be installed here; set MONGODB_URL=mongodb://host:port/db to run them).',
  );

afterAll(() => closeDatabasePools());

describe.skipIf(!MONGODB_URL)('MongoDB', () => {
  const collection = `kf_orders_${randomBytes(4).toString('hex')}`;
  const ctx = () => testContext({ connections: { docs: MONGODB_URL! } });
  const mongo = (params: Record<string, unknown>) => runAction(databaseQueryAction, ctx(), { connection: 'docs', collection, ...params });

  afterAll(async () => {
    await mongo({ operation: 'delete', filter: {} }).catch(() => undefined);
  });

  it('inserts documents and finds them with a filter, sort and limit', async () => {
    const inserted = await mongo({
      operation: 'insert',
      documents: [
        { n: 1, status: 'new' },
        { n: 2, status: 'new' },
        { n: 3, status: 'done' },
      ],
    });
    expect(inserted.output.row_count).toBe(3);
    expect(inserted.result[0]._id).toEqual({ $oid: expect.stringMatching(/^[0-9a-f]{24}$/) });
    const found = await mongo({ operation: 'find', filter: { status: 'new' }, sort: { n: -1 }, limit: 1, projection: { _id: 0 } });
    expect(found.result).toEqual([{ n: 2, status: 'new' }]);
  });

  it('finds by an _id given as Extended JSON', async () => {
    const [first] = (await mongo({ operation: 'find', filter: { n: 1 } })).result;
    const again = await mongo({ operation: 'find', filter: { _id: first._id } });
    expect(again.result).toEqual([first]);
  });

  it('updates (plain fields are $set), aggregates and deletes', async () => {
    const updated = await mongo({ operation: 'update', filter: { status: 'new' }, update: { status: 'seen' } });
    expect(updated.output).toMatchObject({ row_count: 2, matched_count: 2 });
    const grouped = await mongo({
      operation: 'aggregate',
      pipeline: [{ $group: { _id: '$status', count: { $sum: 1 } } }, { $sort: { _id: 1 } }],
    });
    expect(grouped.result).toEqual([
      { _id: 'done', count: 1 },
      { _id: 'seen', count: 2 },
    ]);
    const deleted = await mongo({ operation: 'delete', filter: { status: 'done' } });
    expect(deleted.output.row_count).toBe(1);
  });

  it('refuses an update or delete without filter:, which would touch every document', async () => {
    await expect(mongo({ operation: 'delete' })).rejects.toThrow(
      /needs filter: \(which documents\); write filter: \{\} to mean every document/,
    );
    await expect(mongo({ operation: 'delete' })).rejects.toBeInstanceOf(NonRetryableError);
  });

  it('maps database_insert / update / delete onto the collection', async () => {
    await runAction(databaseInsertAction, ctx(), { connection: 'docs', table: collection, data: [{ sku: 'a', stock: 1 }] });
    await runAction(databaseUpdateAction, ctx(), { connection: 'docs', table: collection, data: { stock: 5 }, where: { sku: 'a' } });
    expect((await mongo({ operation: 'find', filter: { sku: 'a' }, projection: { _id: 0 } })).result).toEqual([{ sku: 'a', stock: 5 }]);
    const { output } = await runAction(databaseDeleteAction, ctx(), { connection: 'docs', table: collection, where: { sku: 'a' } });
    expect(output.row_count).toBe(1);
  });

  it('says to use collection: and operation: when SQL is sent to MongoDB', async () => {
    await expect(runAction(databaseQueryAction, ctx(), { connection: 'docs', query: 'select 1' })).rejects.toThrow(
      /is MongoDB: give collection: and operation:/,
    );
  });
});

describe('MongoDB params on the wrong kind of connection', () => {
  it('refuses SQL on a mongodb connection and MongoDB params on a SQL one, before connecting', async () => {
    const ctx = testContext({ connections: { docs: 'mongodb://127.0.0.1:1/nowhere', sql: 'postgres://u:p@127.0.0.1:1/db' } });
    await expect(runAction(databaseQueryAction, ctx, { connection: 'docs', query: 'select 1' })).rejects.toThrow(
      'connection "docs" is MongoDB: give collection: and operation:',
    );
    await expect(runAction(databaseQueryAction, ctx, { connection: 'sql', collection: 'orders', operation: 'find' })).rejects.toThrow(
      'collection: and operation: are MongoDB params, but connection "sql" is postgres; write the SQL in query: instead.',
    );
    await expect(runAction(databaseQueryAction, testContext(), { collection: 'orders', operation: 'find' })).rejects.toThrow(
      /there is no mongodb connection named "default"/,
    );
  });
});
