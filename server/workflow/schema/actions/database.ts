// Database actions on a postgres://, mysql:// or mongodb:// connection. Without
// `connection`, the connection named "default" is used, else KhaosFlow's own database.
import { z } from 'zod';
import { connectionName, duration, singleTemplate, templatedValue, text } from '../primitives.js';
import { actionObject } from './action-object.js';

const table = text.meta({ description: 'Table name, optionally schema-qualified (sales.orders).' });
const where = z
  .record(z.string(), z.unknown())
  .refine((record) => Object.keys(record).length > 0, { error: 'must name at least one column, e.g. where: { id: "{{trigger.data.id}}" }' })
  .meta({ description: 'Column = value conditions, all of which must hold.' });
const returning = z.union([z.literal('*'), z.array(z.string()).min(1)]).optional();
const timeout = duration.optional().meta({ description: 'Cancel a statement that runs longer than this (default 30s).' });
const parameters = z
  .union([z.array(z.unknown()), singleTemplate('{{steps.ids.result}}')])
  .optional()
  .meta({ description: 'Values for $1, $2, ... (MySQL: ?); templates allowed. A list value fills ANY($1) / IN (?).' });
const statement = z.strictObject({ query: text, parameters });

export const databaseQueryActionSchema = actionObject('database_query', {
  connection: connectionName.optional(),
  query: text.optional().meta({ description: 'SQL with $1, $2, ... placeholders; pass values as parameters, never inside the text.' }),
  parameters,
  statements: z
    .array(statement)
    .min(1)
    .optional()
    .meta({ description: 'Statements run in one transaction: all of them take effect, or none.' }),
  timeout,
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
}).superRefine((action, ctx) => {
  const given = [
    action.query !== undefined && 'query:',
    action.statements !== undefined && 'statements:',
    action.collection !== undefined && 'collection:',
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
  if (action.collection !== undefined && action.operation === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['operation'],
      message: 'a MongoDB step needs operation: find, insert, update, delete or aggregate',
    });
  }
});

export const databaseInsertActionSchema = actionObject('database_insert', {
  connection: connectionName.optional(),
  table,
  data: templatedValue.meta({ description: 'A row object, a list of rows, or a template giving them.' }),
  returning,
  on_conflict: z
    .strictObject({
      columns: z.array(z.string()).min(1),
      action: z.enum(['nothing', 'update']).default('nothing'),
    })
    .optional(),
  timeout,
});

export const databaseUpdateActionSchema = actionObject('database_update', {
  connection: connectionName.optional(),
  table,
  data: templatedValue.meta({ description: 'Columns to set.' }),
  where,
  returning,
  timeout,
});

export const databaseDeleteActionSchema = actionObject('database_delete', {
  connection: connectionName.optional(),
  table,
  where,
  returning,
  timeout,
});
