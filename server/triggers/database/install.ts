// Installing a database trigger in its target Postgres, all in one transaction:
// the events table and capture function (created if missing), then one SQL trigger
// per event (a WHEN condition may read NEW on INSERT/UPDATE and OLD on DELETE only).
// Replacing an installed trigger drops and creates it in the same transaction, so no
// row change falls between the old trigger and the new one. Postgres compiles the
// WHEN condition; its error message is what the workflow's install status shows.
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { toCondition } from './filter.js';

export type DbEvent = 'INSERT' | 'UPDATE' | 'DELETE';

export interface InstallSpec {
  slug: string;
  schema: string;
  table: string;
  events: DbEvent[];
  filter?: string | undefined;
}

export class InstallError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InstallError';
  }
}

export const EVENTS_CHANNEL = 'khaosflow_events';

// SECURITY DEFINER: applications writing to the watched table need no rights on the
// events table; search_path is pinned so the definer's rights cannot be borrowed.
// EXECUTE is revoked from PUBLIC: Postgres checks it when a trigger is created, not
// when it fires, so writers still fire ours while no other role can attach the
// function to a table of its own and forge events for a workflow.
const EVENTS_DDL = `
create schema if not exists khaosflow_events;
create table if not exists khaosflow_events.events (
  id           bigserial primary key,
  uid          uuid not null default gen_random_uuid(),
  workflow     text not null,
  op           text not null,
  table_schema text not null,
  table_name   text not null,
  new_row      jsonb,
  old_row      jsonb,
  created_at   timestamptz not null default now()
);
create index if not exists events_workflow_idx on khaosflow_events.events (workflow, id);
create or replace function khaosflow_events.capture() returns trigger
language plpgsql security definer set search_path = pg_catalog, pg_temp as $fn$
begin
  insert into khaosflow_events.events (workflow, op, table_schema, table_name, new_row, old_row)
  values (tg_argv[0], tg_op, tg_table_schema, tg_table_name,
          case when tg_op = 'DELETE' then null else to_jsonb(new) end,
          case when tg_op = 'INSERT' then null else to_jsonb(old) end);
  perform pg_notify('${EVENTS_CHANNEL}', tg_argv[0]);
  return null;
end $fn$;
revoke all on function khaosflow_events.capture() from public;
revoke all on schema khaosflow_events from public;
revoke all on table khaosflow_events.events from public;`;

/** SQL trigger name for a workflow and event, within Postgres's 63-byte limit. */
export function triggerName(slug: string, event: DbEvent): string {
  const base = `khaosflow_${slug}`;
  const short = base.length <= 48 ? base : `${base.slice(0, 39)}_${createHash('sha256').update(slug).digest('hex').slice(0, 8)}`;
  return `${short}_${event.toLowerCase()}`;
}

function qualified(client: pg.ClientBase, schema: string, table: string): string {
  return `${client.escapeIdentifier(schema)}.${client.escapeIdentifier(table)}`;
}

async function inTransaction<T>(client: pg.ClientBase, work: () => Promise<T>): Promise<T> {
  await client.query('begin');
  try {
    const result = await work();
    await client.query('commit');
    return result;
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  }
}

/** Drops the named triggers (those that exist) from `schema.table`. */
async function dropTriggers(client: pg.ClientBase, schema: string, table: string, names: readonly string[]): Promise<void> {
  const { rows } = await client.query<{ exists: boolean }>('select to_regclass($1) is not null as exists', [
    qualified(client, schema, table),
  ]);
  if (!rows[0]?.exists) return;
  for (const name of names)
    await client.query(`drop trigger if exists ${client.escapeIdentifier(name)} on ${qualified(client, schema, table)}`);
}

/**
 * Installs (or replaces) the workflow's triggers; `previous` are the trigger names
 * installed before on the same table, dropped in the same transaction.
 * @returns the trigger names and the WHEN condition of each event
 */
export async function installDbTrigger(
  client: pg.ClientBase,
  spec: InstallSpec,
  previous: readonly string[] = [],
): Promise<{ triggerNames: string[]; conditions: Record<string, string> }> {
  return inTransaction(client, async () => {
    // Two KhaosFlow processes installing at once must not race on "create ... if not exists".
    await client.query("select pg_advisory_xact_lock(hashtext('khaosflow_events:install'))");
    await client.query(EVENTS_DDL);
    const target = qualified(client, spec.schema, spec.table);
    const { rows: columns } = await client.query<{ name: string }>(
      `select attname as name from pg_attribute
        where attrelid = to_regclass($1) and attnum > 0 and not attisdropped order by attnum`,
      [target],
    );
    if (columns.length === 0) throw new InstallError(`table ${spec.schema}.${spec.table} does not exist (or has no columns)`);
    const names = columns.map((c) => c.name);

    const all: DbEvent[] = ['INSERT', 'UPDATE', 'DELETE'];
    await dropTriggers(client, spec.schema, spec.table, [...new Set([...previous, ...all.map((e) => triggerName(spec.slug, e))])]);
    const conditions: Record<string, string> = {};
    for (const event of spec.events) {
      const name = triggerName(spec.slug, event);
      const condition = spec.filter ? toCondition(spec.filter, names, event === 'DELETE' ? 'OLD' : 'NEW') : null;
      if (condition) conditions[event] = condition;
      await client.query(
        `create trigger ${client.escapeIdentifier(name)} after ${event} on ${target} for each row
         ${condition ? `when (${condition})` : ''} execute function khaosflow_events.capture(${client.escapeLiteral(spec.slug)})`,
      );
    }
    return { triggerNames: spec.events.map((e) => triggerName(spec.slug, e)), conditions };
  });
}

/** Removes the workflow's triggers; captured events stay in the events table to be turned into runs. */
export async function uninstallDbTrigger(client: pg.ClientBase, schema: string, table: string, names: readonly string[]): Promise<void> {
  await inTransaction(client, () => dropTriggers(client, schema, table, names));
}

/** Which of `names` exist on the table (an operator may have dropped one, or restored the database). */
export async function existingTriggers(
  client: pg.ClientBase | pg.Pool,
  schema: string,
  table: string,
  names: readonly string[],
): Promise<Set<string>> {
  const { rows } = await client.query<{ name: string }>(
    `select tgname as name from pg_trigger where tgrelid = to_regclass($1) and tgname = any($2::text[])`,
    [`"${schema.replaceAll('"', '""')}"."${table.replaceAll('"', '""')}"`, names],
  );
  return new Set(rows.map((r) => r.name));
}
