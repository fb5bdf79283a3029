// `database_update`: sets the columns in `data` on the rows matching every `where`
// condition (column = value; null means IS NULL, a list means IN). A `where` is
// required: changing a whole table is never what a missing field should mean.
import { z } from 'zod';
import { NonRetryableError } from '../../core/errors.js';
import { defineAction } from '../../core/action.js';
import { buildUpdate } from './builder.js';
import { checkedColumns } from './columns.js';
import { runMongo } from './mongo.js';
import { connectionParam, returningParam, tableParam, timeoutParam, whereOf, whereParam } from './params.js';
import { runSql } from './run-sql.js';
import { resolveWhere } from './where.js';
import { databaseTarget } from './target.js';
import { connectionName, templatedValue } from '../../core/param-schemas.js';
import { yamlReturning, yamlTable, yamlTimeout, yamlWhere } from './yaml-params.js';

const params = z.object({
  connection: connectionParam,
  table: tableParam,
  data: z.record(z.string(), z.unknown(), { error: 'data: must be an object of the columns to set, e.g. data: { status: "shipped" }' }),
  where: whereParam,
  returning: returningParam,
  timeout: timeoutParam,
});

export const databaseUpdateAction = defineAction({
  type: 'database_update',
  title: 'Update rows',
  params,
  authoring: (action) =>
    action({
      connection: connectionName.optional(),
      table: yamlTable,
      data: templatedValue.meta({ description: 'Columns to set.' }),
      where: yamlWhere,
      returning: yamlReturning,
      timeout: yamlTimeout,
    }),
  paramKinds: { markup: ['where'] },
  // where: is resolved by the action: values from templates must be scalars (./where.ts).
  async run(ctx, p) {
    const where = whereOf(await resolveWhere(ctx, p.where, 'database_update'), 'database_update');
    if (Object.keys(p.data).length === 0) throw new NonRetryableError('database_update got no column to set in data:.');
    const target = await databaseTarget(ctx, p.connection);
    if (target.dialect === 'mongodb') {
      if (p.returning) throw new NonRetryableError('returning: is SQL only; read the documents with a database_query find step.');
      return runMongo(target, { collection: p.table, operation: 'update', filter: where, update: p.data }, p.timeout);
    }
    if (target.dialect === 'mysql' && p.returning)
      throw new NonRetryableError(
        'MySQL and MariaDB cannot return updated rows; remove returning: and read the rows with a database_query step.',
      );
    const used = [...Object.keys(p.data), ...Object.keys(where), ...(Array.isArray(p.returning) ? p.returning : [])];
    const columns = await checkedColumns(target, p.table, used, 'database_update');
    const statement = buildUpdate(target.dialect, p.table, columns, p.data, where, p.returning);
    const [result] = await runSql(target, [statement], { timeoutMs: p.timeout, transaction: false, signal: ctx.signal });
    return result!;
  },
  result: (output) => (output as { rows: unknown }).rows,
});
