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
import type pg from 'pg';

export const DRAIN_BATCH = 500;

interface EventRow {
  id: string;
  workflow: string;
  dedupe: string;
  trigger: Record<string, unknown>;
}

const SELECT_EVENTS = `
  select id::text, workflow, 'database:' || uid as dedupe,
         jsonb_build_object('event', op, 'schema', table_schema, 'table', table_name,
                            'data', coalesce(new_row, old_row), 'old', old_row,
                            'event_id', id, 'captured_at', created_at) as trigger
    from khaosflow_events.events
   where workflow = any($1::text[])
   order by id
   limit $2`;

async function enqueueEvents(home: pg.ClientBase | pg.Pool, events: EventRow[], connection: string | null): Promise<void> {
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
 * Drains every captured event of `slugs` in the target; returns how many became runs.
 * @example const n = await drainEvents({ pool: targetPool, home: false, connection: 'postgres_main' }, services.pool, ['new-orders']);
 */
export async function drainEvents(
  target: DrainTarget,
  homePool: pg.Pool,
  slugs: readonly string[],
  batchSize = DRAIN_BATCH,
): Promise<number> {
  if (slugs.length === 0) return 0;
  let total = 0;
  for (;;) {
    let drained: number;
    try {
      drained = target.home ? await drainHomeBatch(homePool, slugs, batchSize) : await drainRemoteBatch(target, homePool, slugs, batchSize);
    } catch (err) {
      // No events table yet: no trigger was ever installed there, so nothing was captured.
      if ((err as { code?: string }).code === '42P01') return total;
      throw err;
    }
    total += drained;
    if (drained < batchSize) return total;
  }
}

async function drainHomeBatch(pool: pg.Pool, slugs: readonly string[], batchSize: number): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const { rows } = await client.query<EventRow>(`${SELECT_EVENTS} for update skip locked`, [slugs, batchSize]);
    if (rows.length > 0) {
      await enqueueEvents(client, rows, null);
      await client.query('delete from khaosflow_events.events where id = any($1::bigint[])', [rows.map((r) => r.id)]);
    }
    await client.query('commit');
    return rows.length;
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

async function drainRemoteBatch(target: DrainTarget, homePool: pg.Pool, slugs: readonly string[], batchSize: number): Promise<number> {
  const { rows } = await target.pool.query<EventRow>(SELECT_EVENTS, [slugs, batchSize]);
  if (rows.length === 0) return 0;
  await enqueueEvents(homePool, rows, target.connection);
  await target.pool.query('delete from khaosflow_events.events where id = any($1::bigint[])', [rows.map((r) => r.id)]);
  return rows.length;
}
