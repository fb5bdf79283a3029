// Finding 8 of issue 18: webhook data in where: must not widen a condition. A template
// that gives a list would become IN (...), an object a MongoDB operator; only what the
// workflow's author wrote may be a list. The params go through the engine's own
// resolveParams, as in a run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseDeleteAction } from '../../../server/actions/database/delete.js';
import { databaseUpdateAction } from '../../../server/actions/database/update.js';
import { closeDatabasePools } from '../../../server/connectors/database-pools.js';
import { NonRetryableError } from '../../../server/core/errors.js';
import { resolveParams } from '../../../server/engine/params.js';
import type { ActionConfig } from '../../../server/workflow/types.js';
import { runAction, testContext } from '../files/action-context.js';
import { postgresServer } from './sql-dialects.js';

const server = await postgresServer();

afterAll(async () => {
  await closeDatabasePools();
  await server.drop();
});

describe('database where: with values from a webhook', () => {
  const run = async (action: typeof databaseDeleteAction | typeof databaseUpdateAction, config: Record<string, unknown>, data: unknown) => {
    const ctx = testContext({ connections: { main: server.url } });
    ctx.expressionContext = { trigger: { data } };
    const step = { type: action.type, connection: 'main', table: 'ledger', ...config } as ActionConfig;
    const params = await resolveParams(step, action, ctx.expressionContext as never, ctx.step.name);
    return runAction(action, ctx, params);
  };
  const ids = async () => (await server.exec('select id from ledger order by id')).map((r) => r.id);

  beforeAll(async () => {
    await server.exec('create table ledger (id int primary key, entry text)');
    await server.exec("insert into ledger (id, entry) values (1, 'a'), (2, 'b'), (3, 'c')");
  });

  it('refuses a list from data where the workflow wrote one template, and changes nothing', async () => {
    const attempt = run(databaseDeleteAction, { where: { id: '{{trigger.data.id}}' } }, { id: [1, 2, 3] });
    await expect(attempt).rejects.toThrow(NonRetryableError);
    await expect(attempt).rejects.toThrow(/where\.id is a template that gave a list; a template in where: must give one value/);
    expect(await ids()).toEqual([1, 2, 3]);
  });

  it('refuses an object from data (a MongoDB-style operator) in an update', async () => {
    const attempt = run(databaseUpdateAction, { data: { entry: 'x' }, where: { id: '{{trigger.data.id}}' } }, { id: { $ne: null } });
    await expect(attempt).rejects.toThrow(/where\.id is a template that gave an object/);
    expect(await server.exec("select count(*)::int as n from ledger where entry = 'x'")).toEqual([{ n: 0 }]);
  });

  it('still takes one value from data, and a list the workflow wrote', async () => {
    const one = await run(databaseDeleteAction, { where: { id: '{{trigger.data.id}}' } }, { id: 3 });
    expect(one.output.row_count).toBe(1);
    const written = await run(
      databaseUpdateAction,
      { data: { entry: 'both' }, where: { id: ['{{trigger.data.first}}', '{{trigger.data.second}}'] } },
      { first: 1, second: 2 },
    );
    expect(written.output.row_count).toBe(2);
    expect(await ids()).toEqual([1, 2]);
  });
});
