// Params of the database actions as written in a workflow file, shared by their
// `authoring` schemas (the run-time params are in params.ts).
import { z } from 'zod';
import { duration, singleTemplate, text } from '../../core/param-schemas.js';

export const yamlTable = text.meta({ description: 'Table name, optionally schema-qualified (sales.orders).' });
export const yamlWhere = z
  .record(z.string(), z.unknown())
  .refine((record) => Object.keys(record).length > 0, { error: 'must name at least one column, e.g. where: { id: "{{trigger.data.id}}" }' })
  .meta({ description: 'Column = value conditions, all of which must hold.' });
export const yamlReturning = z.union([z.literal('*'), z.array(z.string()).min(1)]).optional();
export const yamlTimeout = duration.optional().meta({ description: 'Cancel a statement that runs longer than this (default 30s).' });
export const yamlParameters = z
  .union([z.array(z.unknown()), singleTemplate('{{steps.ids.result}}')])
  .optional()
  .meta({ description: 'Values for $1, $2, ... (MySQL: ?); templates allowed. A list value fills ANY($1) / IN (?).' });
