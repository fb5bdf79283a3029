// Turning captured row changes into runs. Events are read in id order, a batch at a
// time; each becomes a run whose dedupe key is the event's uid, and is deleted only
// after its run exists:
//   - target is KhaosFlow's own database: read (FOR UPDATE SKIP LOCKED), enqueue and
//     delete in one transaction;
//   - another database: enqueue (committed) first, then delete in the target. A crash
//     in between leaves the events, and draining them again finds their runs by
//     dedupe key instead of starting new ones.
// Events of a workflow disabled after they were captured still run: they were
// accepted while it was enabled.
// An event only becomes a run when it came from the table and operation its workflow
// watches: anything else in the events table (written by a role that could execute
// the capture function, or left from a setting that no longer applies) is deleted
// without a run and counted as refused.
import type pg from 'pg';

export const DRAIN_BATCH = 500;

/** What one workflow's database trigger watches: only such events become its runs. */
export interface EventWatch {
  slug: string;
  schema: string;
  table: string;
  events: readonly string[];
}

interface EventRow {
  id: string;
  workflow: string;
  dedupe: string;
  trigger: Record<string, unknown>;
  watched: boolean;
}

export interface DrainResult {
  /** Events that became runs. */
  runs: number;
  /** Events deleted without a run: not from the table or operation their workflow watches. */
  refused: number;
}

const SELECT_EVENTS = `
  select e.id::text, e.workflow, 'database:' || e.uid as dedupe,
         jsonb_build_object('event', e.op, 'schema', e.table_schema, 'table', e.table_name,
                            'data', coalesce(e.new_row, e.old_row), 'old', e.old_row,
                            'event_id', e.id, 'captured_at', e.created_at) as trigger,
         exists (select 1 from jsonb_to_recordset($1::jsonb) as w(slug text, schema text, "table" text, events text[])
                  where w.slug = e.workflow and w.schema = e.table_schema and w."table" = e.table_name
                    and e.op = any(w.events)) as watched
    from khaosflow_events.events e
   where e.workflow = any($2::text[])
   order by e.id
   limit $3`;

const selectArgs = (watches: readonly EventWatch[], batchSize: number) => [
  JSON.stringify(watches),
  [...new Set(watches.map((w) => w.slug))],
  batchSize,
];

async function enqueueEvents(home: pg.ClientBase | pg.Pool, all: EventRow[], connection: string | null): Promise<void> {
  const events = all.filter((e) => e.watched);
  if (events.length === 0) return;
  const batch = events.map((e, n) => ({ n, workflow: e.workflow, dedupe: e.dedupe, trigger: { ...e.trigger, connection } }));
  await home.query(
    `select khaosflow.enqueue_run(w.id, w.current_version, 'database', e.trigger, p_dedupe_key => e.dedupe)
       from jsonb_to_recordset($1::jsonb) as e(n int, workflow text, dedupe text, trigger jsonb)
       join khaosflow.workflows w on w.slug = e.workflow
      order by e.n`,
    [JSON.stringify(batch)],
  );
}

export interface DrainTarget {
  /** Pool on the target database (the one holding khaosflow_events.events). */
  pool: pg.Pool;
  /** True when the target is KhaosFlow's own database. */
  home: boolean;
  /** Connection name, recorded in trigger.connection (null: KhaosFlow's database). */
  connection: string | null;
}

/**
 * Drains every captured event of the watched workflows in the target.
 * @example await drainEvents({ pool, home: false, connection: 'postgres_main' }, services.pool, [{ slug: 'new-orders', schema: 'public', table: 'orders', events: ['INSERT'] }]);
 */
export async function drainEvents(
  target: DrainTarget,
  homePool: pg.Pool,
  watches: readonly EventWatch[],
  batchSize = DRAIN_BATCH,
): Promise<DrainResult> {
  const total: DrainResult = { runs: 0, refused: 0 };
  if (watches.length === 0) return total;
  for (;;) {
    let rows: EventRow[];
    try {
      rows = target.home
        ? await drainHomeBatch(homePool, watches, batchSize)
        : await drainRemoteBatch(target, homePool, watches, batchSize);
    } catch (err) {
      // No events table yet: no trigger was ever installed there, so nothing was captured.
      if ((err as { code?: string }).code === '42P01') return total;
      throw err;
    }
    for (const row of rows) row.watched ? total.runs++ : total.refused++;
    if (rows.length < batchSize) return total;
  }
}

async function drainHomeBatch(pool: pg.Pool, watches: readonly EventWatch[], batchSize: number): Promise<EventRow[]> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const { rows } = await client.query<EventRow>(`${SELECT_EVENTS} for update of e skip locked`, selectArgs(watches, batchSize));
    if (rows.length > 0) {
      await enqueueEvents(client, rows, null);
      await client.query('delete from khaosflow_events.events where id = any($1::bigint[])', [rows.map((r) => r.id)]);
    }
    await client.query('commit');
    return rows;
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

async function drainRemoteBatch(
  target: DrainTarget,
  homePool: pg.Pool,
  watches: readonly EventWatch[],
  batchSize: number,
): Promise<EventRow[]> {
  const { rows } = await target.pool.query<EventRow>(SELECT_EVENTS, selectArgs(watches, batchSize));
  if (rows.length === 0) return rows;
  await enqueueEvents(homePool, rows, target.connection);
  await target.pool.query('delete from khaosflow_events.events where id = any($1::bigint[])', [rows.map((r) => r.id)]);
  return rows;
}
