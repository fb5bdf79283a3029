// "Sample from the table" for a database trigger's test panel: the newest row of the
// watched table that passes the trigger's filter, shaped like the trigger data a real
// INSERT would give. Read with one bounded query; nothing is installed or captured.
import pg from 'pg';
import type { Services } from '../../services.js';
import type { DatabaseTrigger } from '../../workflow/types.js';
import { connectionStringOf } from '../workflow-changes.js';
import { toCondition } from './filter.js';

export interface TableSample {
  event: 'INSERT';
  schema: string;
  table: string;
  connection: string | null;
  data: Record<string, unknown>;
  old: null;
}

/** Why no sample could be read, said so a user can act on it. */
export class TableSampleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TableSampleError';
  }
}

/**
 * The newest matching row (by primary key, else physical order), or null when none matches.
 * @example const sample = await newestTableRow(services, { type: 'database', table: 'orders', events: ['INSERT'] });
 */
export async function newestTableRow(
  services: Pick<Services, 'pool' | 'connections'>,
  trigger: Pick<DatabaseTrigger, 'connection' | 'schema' | 'table' | 'filter'>,
): Promise<TableSample | null> {
  const connection = trigger.connection ?? null;
  const schema = trigger.schema ?? 'public';
  const home = connection === null;
  const url = home ? connectionStringOf(services.pool) : (await services.connections.resolve('postgres', connection)).url;
  const client = new pg.Client({ connectionString: url, application_name: 'khaosflow-table-sample', statement_timeout: 10_000 });
  await client.connect();
  try {
    const target = `${client.escapeIdentifier(schema)}.${client.escapeIdentifier(trigger.table)}`;
    const { rows: columns } = await client.query<{ name: string; key: number | null }>(
      `select a.attname as name, array_position(i.indkey::int2[], a.attnum) as key
         from pg_attribute a left join pg_index i on i.indrelid = a.attrelid and i.indisprimary
        where a.attrelid = to_regclass($1) and a.attnum > 0 and not a.attisdropped order by a.attnum`,
      [target],
    );
    if (columns.length === 0)
      throw new TableSampleError(`Table ${schema}.${trigger.table} was not found${home ? '' : ` in connection "${connection}"`}.`);
    const keys = columns.filter((c) => c.key !== null).sort((a, b) => a.key! - b.key!);
    const order = keys.length > 0 ? keys.map((k) => `new.${client.escapeIdentifier(k.name)} desc`).join(', ') : 'new.ctid desc';
    // The filter becomes the same condition the installed SQL trigger checks (NEW."col" ...).
    const condition = trigger.filter
      ? toCondition(
          trigger.filter,
          columns.map((c) => c.name),
          'NEW',
        )
      : 'true';
    const { rows } = await client.query<{ row: Record<string, unknown> }>(
      `select to_jsonb(new) as row from ${target} as new where ${condition} order by ${order} limit 1`,
    );
    const row = rows[0]?.row;
    return row ? { event: 'INSERT', schema, table: trigger.table, connection, data: row, old: null } : null;
  } finally {
    await client.end();
  }
}
