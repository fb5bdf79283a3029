// `database_insert`: one row or a list of rows into a table, with optional `returning`
// and `on_conflict` (update the other columns, or do nothing). The data's keys are
// checked against the table's columns first, so `data: "{{trigger.data}}"` with an
// extra field fails by naming it. On MongoDB the table is the collection.
import { z } from 'zod';
import { NonRetryableError } from '../../core/errors.js';
import { defineAction } from '../../core/action.js';
import { buildInsert } from './builder.js';
import { checkedColumns } from './columns.js';
import { runMongo } from './mongo.js';
import { connectionParam, returningParam, rowsOf, tableParam, timeoutParam } from './params.js';
import { runSql } from './run-sql.js';
import { databaseTarget } from './target.js';
import { connectionName, templatedValue } from '../../core/param-schemas.js';
import { yamlReturning, yamlTable, yamlTimeout } from './yaml-params.js';

const params = z.object({
  connection: connectionParam,
  table: tableParam,
  data: z.unknown(),
  returning: returningParam,
  on_conflict: z
    .object({ columns: z.array(z.string().min(1)).min(1), action: z.enum(['nothing', 'update']).default('nothing') })
    .optional(),
  timeout: timeoutParam,
});

export const databaseInsertAction = defineAction({
  type: 'database_insert',
  title: 'Insert rows',
  params,
  authoring: (action) =>
    action({
      connection: connectionName.optional(),
      table: yamlTable,
      data: templatedValue.meta({ description: 'A row object, a list of rows, or a template giving them.' }),
      returning: yamlReturning,
      on_conflict: z
        .strictObject({
          columns: z.array(z.string()).min(1),
          action: z.enum(['nothing', 'update']).default('nothing'),
        })
        .optional(),
      timeout: yamlTimeout,
    }),
  async run(ctx, p) {
    const rows = rowsOf(p.data, 'database_insert');
    const target = await databaseTarget(ctx, p.connection);
    if (target.dialect === 'mongodb') {
      if (p.on_conflict)
        throw new NonRetryableError('on_conflict: is SQL only; on MongoDB use database_query with operation: update and upsert: true.');
      return runMongo(target, { collection: p.table, operation: 'insert', documents: rows }, p.timeout);
    }
    const columns = await checkedColumns(
      target,
      p.table,
      [...rows.flatMap((r) => Object.keys(r)), ...(p.on_conflict?.columns ?? []), ...(Array.isArray(p.returning) ? p.returning : [])],
      'The data for database_insert',
    );
    const statement = buildInsert(target.dialect, p.table, columns, rows, { returning: p.returning, onConflict: p.on_conflict });
    const hint =
      target.dialect === 'mysql' && p.returning ? 'MySQL does not support returning: (MariaDB 10.5+ does for inserts).' : undefined;
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
