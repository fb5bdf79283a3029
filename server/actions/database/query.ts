// `database_query`: SQL with bound parameters ($1.. on Postgres, ? on MySQL), or a list
// of `statements` run in one transaction, or a MongoDB operation (collection +
// operation). The output is `{rows, row_count}`; the step's result is the rows, so
// `{{steps.check_inventory.result[].stock}}` reads a column of every row.
import { z } from 'zod';
import { NonRetryableError } from '../../core/errors.js';
import { highestPlaceholder } from '../../core/sql-placeholders.js';
import { defineAction, type ActionContext } from '../../core/action.js';
import { MONGO_OPERATIONS, runMongo } from './mongo.js';
import { connectionParam, parametersParam, timeoutParam } from './params.js';
import { runSql } from './run-sql.js';
import type { Statement } from './statements.js';
import { databaseTarget } from './target.js';
import { connectionName, singleTemplate, templatedValue, text } from '../../core/param-schemas.js';
import { yamlParameters, yamlTimeout } from './yaml-params.js';

const params = z.object({
  connection: connectionParam,
  query: z.string().min(1).optional(),
  parameters: parametersParam,
  statements: z
    .array(z.object({ query: z.string().min(1), parameters: parametersParam }))
    .min(1)
    .optional(),
  timeout: timeoutParam,
  collection: z.string().min(1).optional(),
  operation: z.enum(MONGO_OPERATIONS).optional(),
  filter: z.unknown().optional(),
  document: z.unknown().optional(),
  documents: z.unknown().optional(),
  update: z.unknown().optional(),
  pipeline: z.unknown().optional(),
  sort: z.unknown().optional(),
  projection: z.unknown().optional(),
  limit: z.coerce.number().int().positive().optional(),
  upsert: z.boolean().optional(),
});

type Params = z.output<typeof params>;

/** The seed's "Update Inventory" uses $1 without parameters: say so before Postgres does, in words. */
function checkPlaceholders(statement: Statement, step: string): void {
  const highest = highestPlaceholder(statement.query);
  if (highest <= statement.parameters.length) return;
  const given = statement.parameters.length;
  throw new NonRetryableError(
    `The query of step "${step}" uses $${highest} but ${given === 0 ? 'no parameters are given' : `only ${given} parameter${given === 1 ? ' is' : 's are'} given`}; ` +
      'add parameters: with one value per placeholder, e.g. parameters: ["{{trigger.data.items[].product_id}}"].',
  );
}

async function runMongoQuery(ctx: ActionContext, p: Params) {
  const target = await databaseTarget(ctx, p.connection, { mongo: true });
  if (target.dialect !== 'mongodb') {
    throw new NonRetryableError(
      `collection: and operation: are MongoDB params, but ${target.label} is ${target.dialect}; write the SQL in query: instead.`,
    );
  }
  if (!p.collection || !p.operation)
    throw new NonRetryableError('A MongoDB step needs both collection: and operation: (find, insert, update, delete or aggregate).');
  const { collection, operation, filter, document, documents, update, pipeline, sort, limit, projection, upsert } = p;
  return runMongo(
    target,
    { collection, operation, filter, document, documents, update, pipeline, sort, limit, projection, upsert },
    p.timeout,
  );
}

export const databaseQueryAction = defineAction({
  type: 'database_query',
  title: 'Query a database',
  params,
  authoring: (action) =>
    action({
      connection: connectionName.optional(),
      query: text.optional().meta({ description: 'SQL with $1, $2, ... placeholders; pass values as parameters, never inside the text.' }),
      parameters: yamlParameters,
      statements: z
        .array(z.strictObject({ query: text, parameters: yamlParameters }))
        .min(1)
        .optional()
        .meta({ description: 'Statements run in one transaction: all of them take effect, or none.' }),
      timeout: yamlTimeout,
      collection: text.optional().meta({ description: 'MongoDB: the collection, with operation:.' }),
      operation: z
        .enum(['find', 'insert', 'update', 'delete', 'aggregate'])
        .optional()
        .meta({ description: 'MongoDB: what to do on the collection.' }),
      filter: templatedValue.optional().meta({ description: 'MongoDB: which documents (find, update, delete); Extended JSON.' }),
      document: templatedValue.optional().meta({ description: 'MongoDB insert: one document.' }),
      documents: templatedValue.optional().meta({ description: 'MongoDB insert: a list of documents.' }),
      update: templatedValue.optional().meta({ description: 'MongoDB update: fields to set, or an update document ($set, $inc, ...).' }),
      pipeline: templatedValue.optional().meta({ description: 'MongoDB aggregate: the list of stages.' }),
      sort: templatedValue.optional(),
      limit: z.union([z.number().int().positive(), singleTemplate('{{trigger.data.limit}}')]).optional(),
      projection: templatedValue.optional(),
      upsert: z.boolean().optional(),
    }).superRefine((step, ctx) => {
      const given = [
        step.query !== undefined && 'query:',
        step.statements !== undefined && 'statements:',
        step.collection !== undefined && 'collection:',
      ].filter(Boolean);
      if (given.length !== 1) {
        ctx.addIssue({
          code: 'custom',
          path: [],
          message: given.length
            ? `give only one of ${given.join(', ')}`
            : 'needs query: (SQL), statements: (SQL run in one transaction) or collection: with operation: (MongoDB)',
        });
      }
      if (step.collection !== undefined && step.operation === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['operation'],
          message: 'a MongoDB step needs operation: find, insert, update, delete or aggregate',
        });
      }
    }),
  async run(ctx, p) {
    if (p.collection !== undefined || p.operation !== undefined) return runMongoQuery(ctx, p);
    const target = await databaseTarget(ctx, p.connection);
    if (target.dialect === 'mongodb') {
      throw new NonRetryableError(
        `${target.label} is MongoDB: give collection: and operation: (find, insert, update, delete, aggregate) instead of SQL.`,
      );
    }
    const statements: Statement[] = p.statements ?? (p.query ? [{ query: p.query, parameters: p.parameters }] : []);
    if (!statements.length) throw new NonRetryableError('database_query needs query: (SQL) or statements: (SQL run in one transaction).');
    if (p.query && p.statements) throw new NonRetryableError('database_query takes query: or statements:, not both.');
    if (target.dialect === 'postgres') for (const statement of statements) checkPlaceholders(statement, ctx.step.name);
    const results = await runSql(target, statements, { timeoutMs: p.timeout, transaction: p.statements !== undefined, signal: ctx.signal });
    const last = results[results.length - 1]!;
    return p.statements ? { ...last, statements: results } : last;
  },
  result: (output) => (output as { rows: unknown }).rows,
});
