// Param pieces shared by the database actions; they accept what the workflow schema
// (server/workflow/schema/actions/database.ts) accepts, once templates are resolved.
import { z } from 'zod';
import { NonRetryableError } from '../../core/errors.js';
import { duration } from '../../core/param-schemas.js';
import { DEFAULT_QUERY_TIMEOUT_MS } from './statements.js';

export const connectionParam = z
  .string()
  .regex(/^[a-z0-9_]+$/i)
  .optional();
export const timeoutParam = duration.default(DEFAULT_QUERY_TIMEOUT_MS);
export const tableParam = z.string().min(1);
export const returningParam = z.union([z.literal('*'), z.array(z.string().min(1)).min(1)]).optional();

/** A list of values; a template that gave one value (not a list) is taken as a list of one. */
export const parametersParam = z
  .unknown()
  .optional()
  .transform((value) => (value === undefined || value === null ? [] : Array.isArray(value) ? value : [value]));

/** `where:` - column = value conditions (null means IS NULL, a list means IN). */
export const whereParam = z.record(z.string(), z.unknown());

/** `data:` of insert: one row or a list of rows, each an object of column values. */
export function rowsOf(data: unknown, action: string): Record<string, unknown>[] {
  const rows = Array.isArray(data) ? data : [data];
  if (rows.length === 0) throw new NonRetryableError(`${action} got an empty list as data:, so there is nothing to insert.`);
  for (const row of rows) {
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      throw new NonRetryableError(
        `${action} needs data: as an object of column values (or a list of them); got ${row === null ? 'null' : Array.isArray(row) ? 'a nested list' : typeof row}.`,
      );
    }
    if (Object.keys(row).length === 0) throw new NonRetryableError(`${action} got a row without any column in data:.`);
  }
  return rows as Record<string, unknown>[];
}

/** `where:` must name at least one column: an update or delete of a whole table is never a default. */
export function whereOf(where: Record<string, unknown>, action: string): Record<string, unknown> {
  if (Object.keys(where).length === 0) {
    throw new NonRetryableError(
      `${action} needs where: with at least one column, e.g. where: { id: "{{trigger.data.id}}" }; to change every row, use database_query.`,
    );
  }
  return where;
}
