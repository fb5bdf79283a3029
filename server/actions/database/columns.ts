// The columns of a table, so that database_insert/update/delete can say which keys of
// the data are not columns (the spec inserts `{{trigger.data}}` as it comes) instead
// of passing on a raw SQL error. Looked up once per table and kept for 30 s; a miss
// on a cached table looks again before failing, in case a column was just added.
import type { RowDataPacket } from 'mysql2/promise';
import { NonRetryableError } from '../../core/errors.js';
import { sqlStepError } from './sql-errors.js';
import type { SqlTarget } from './target.js';

const TTL_MS = 30_000;

/** Column name -> type (`jsonb`, `integer[]`, `json`, ...). */
export type Columns = Map<string, string>;

const cache = new WeakMap<object, Map<string, { at: number; columns: Columns }>>();

/** `public.customers` -> ['public', 'customers']; one or two parts. */
export function tableParts(table: string): [string | undefined, string] {
  const parts = table.split('.');
  if (parts.length > 2 || parts.some((p) => p.trim() === '')) {
    throw new NonRetryableError(`"${table}" is not a table name; write table or schema.table (e.g. public.customers).`);
  }
  return parts.length === 2 ? [parts[0], parts[1]!] : [undefined, parts[0]!];
}

async function lookUp(target: SqlTarget, table: string): Promise<Columns> {
  const [schema, name] = tableParts(table);
  let rows: Array<{ name: string; type: string }>;
  try {
    if (target.dialect === 'postgres') {
      // to_regclass resolves the name the way the insert will (search_path, exact case as quoted).
      const quoted = [schema, name]
        .filter((p) => p !== undefined)
        .map((p) => `"${p!.replace(/"/g, '""')}"`)
        .join('.');
      const result = await target.pool.query<{ name: string; type: string }>(
        `select a.attname as name, format_type(a.atttypid, a.atttypmod) as type
           from pg_catalog.pg_attribute a
          where a.attrelid = to_regclass($1) and a.attnum > 0 and not a.attisdropped
          order by a.attnum`,
        [quoted],
      );
      rows = result.rows;
    } else {
      const [result] = await target.pool.query<RowDataPacket[]>(
        `select column_name as name, data_type as type from information_schema.columns
          where table_schema = coalesce(?, database()) and table_name = ? order by ordinal_position`,
        [schema ?? null, name],
      );
      rows = result as Array<{ name: string; type: string }>;
    }
  } catch (err) {
    throw sqlStepError(err, target.dialect, target.label, { transaction: false });
  }
  if (!rows.length)
    throw new NonRetryableError(
      `There is no table ${table} on ${target.label} (or this login may not see it); check the table name and the connection.`,
    );
  return new Map(rows.map((r) => [r.name, String(r.type).toLowerCase()]));
}

export async function tableColumns(target: SqlTarget, table: string, opts: { fresh?: boolean } = {}): Promise<Columns> {
  let tables = cache.get(target.pool);
  if (!tables) {
    tables = new Map();
    cache.set(target.pool, tables);
  }
  const hit = tables.get(table);
  if (hit && !opts.fresh && Date.now() - hit.at < TTL_MS) return hit.columns;
  const columns = await lookUp(target, table);
  tables.set(table, { at: Date.now(), columns });
  return columns;
}

/**
 * The table's columns, after checking that every name in `used` is one of them.
 * @param what where the names come from, e.g. `the data for database_insert`
 */
export async function checkedColumns(target: SqlTarget, table: string, used: Iterable<string>, what: string): Promise<Columns> {
  const names = [...new Set(used)];
  let columns = await tableColumns(target, table);
  if (names.some((n) => !columns.has(n))) columns = await tableColumns(target, table, { fresh: true });
  const unknown = names.filter((n) => !columns.has(n));
  if (unknown.length) {
    throw new NonRetryableError(
      `${what} names ${unknown.length === 1 ? 'a key that is not a column' : 'keys that are not columns'} of ${table}: ${unknown.join(', ')}. ` +
        `Its columns are: ${[...columns.keys()].join(', ')}. Remove ${unknown.length === 1 ? 'that key' : 'those keys'} or pick the fields you need (e.g. data: { name: "{{trigger.data.name}}" }).`,
    );
  }
  return columns;
}
