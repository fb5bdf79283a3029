// `database_delete`: deletes the rows matching every `where` condition (column = value;
// null means IS NULL, a list means IN). A `where` is required.
import { z } from 'zod';
import { NonRetryableError } from '../../core/errors.js';
import { defineAction } from '../../core/action.js';
import { buildDelete } from './builder.js';
import { checkedColumns } from './columns.js';
import { runMongo } from './mongo.js';
import { connectionParam, returningParam, tableParam, timeoutParam, whereOf, whereParam } from './params.js';
import { runSql } from './run-sql.js';
import { resolveWhere } from './where.js';
import { databaseTarget } from './target.js';
import { connectionName } from '../../core/param-schemas.js';
import { yamlReturning, yamlTable, yamlTimeout, yamlWhere } from './yaml-params.js';

const params = z.object({
  connection: connectionParam,
  table: tableParam,
  where: whereParam,
  returning: returningParam,
  timeout: timeoutParam,
});

export const databaseDeleteAction = defineAction({
  type: 'database_delete',
  title: 'Delete rows',
  params,
  authoring: (action) =>
    action({
      connection: connectionName.optional(),
      table: yamlTable,
      where: yamlWhere,
      returning: yamlReturning,
      timeout: yamlTimeout,
    }),
  paramKinds: { markup: ['where'] },
  // where: is resolved by the action: values from templates must be scalars (./where.ts).
  async run(ctx, p) {
    const where = whereOf(await resolveWhere(ctx, p.where, 'database_delete'), 'database_delete');
    const target = await databaseTarget(ctx, p.connection);
    if (target.dialect === 'mongodb') {
      if (p.returning) throw new NonRetryableError('returning: is SQL only; read the documents with a database_query find step first.');
      return runMongo(target, { collection: p.table, operation: 'delete', filter: where }, p.timeout);
    }
    const columns = await checkedColumns(
      target,
      p.table,
      [...Object.keys(where), ...(Array.isArray(p.returning) ? p.returning : [])],
      'database_delete',
    );
    const statement = buildDelete(target.dialect, p.table, columns, where, p.returning);
    const hint =
      target.dialect === 'mysql' && p.returning ? 'MySQL does not support returning: (MariaDB 10.5+ does for deletes).' : undefined;
    const [result] = await runSql(target, [statement], {
      timeoutMs: p.timeout,
      transaction: false,
      signal: ctx.signal,
      ...(hint ? { hint } : {}),
    });
    return result!;
  },
  result: (output) => (output as { rows: unknown }).rows,
});
