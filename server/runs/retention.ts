// Run history retention: KHAOSFLOW_RETENTION_DAYS=N deletes runs that finished
// (succeeded, failed, cancelled) more than N days ago, with their steps (step_runs
// cascade). Unset or 0 keeps every run: history is the product's audit trail, so
// deleting it is something an operator turns on.
//
// Deletion goes in batches of a few hundred runs, each its own short transaction
// (`for update skip locked`, so a batch never waits on a run someone is reading for
// update), oldest first through runs_finished_idx: a table of millions of runs is
// trimmed without long locks or one huge transaction, and a sweep stopped halfway has
// deleted only whole runs. A run still needed is kept: one a queued, running or waiting
// run was retried from or was called by (its output may yet be read).
//
// It runs as a cluster singleton (server/singletons.ts): one process sweeps.
import type pg from 'pg';
import type { Logger } from '../logger.js';
import { periodicSingleton, type Singleton } from '../singletons.js';

export const SWEEP_EVERY_MS = 60 * 60 * 1000;
export const DEFAULT_BATCH = 500;
const DAY_MS = 24 * 60 * 60 * 1000;

// $1 the cutoff, $2 the batch size.
const DELETE_BATCH_SQL = `
  with doomed as (
    select r.id from khaosflow.runs r
     where r.status in ('succeeded', 'failed', 'cancelled')
       and coalesce(r.finished_at, r.created_at) < $1
       and not exists (
         select 1 from khaosflow.runs d
          where (d.retry_of = r.id or d.parent_run_id = r.id) and d.status in ('queued', 'running', 'waiting'))
     order by coalesce(r.finished_at, r.created_at)
     limit $2
       for update of r skip locked
  )
  delete from khaosflow.runs r using doomed where r.id = doomed.id`;

/**
 * The retention period from the environment, in days; 0 keeps every run.
 * @example runRetentionDaysFrom({ KHAOSFLOW_RETENTION_DAYS: '30' }) // 30
 */
export function runRetentionDaysFrom(env: NodeJS.ProcessEnv): number {
  const raw = env.KHAOSFLOW_RETENTION_DAYS?.trim();
  if (raw === undefined || raw === '') return 0;
  const days = Number(raw);
  if (!Number.isInteger(days) || days < 0) {
    throw new Error(`KHAOSFLOW_RETENTION_DAYS must be a whole number of days (0 or unset keeps every run), got "${raw}".`);
  }
  return days;
}

/**
 * Deletes the runs past retention at `now`, batch by batch; returns how many went.
 * @example await sweepRuns(pool, { days: 30, now: new Date() })
 */
export async function sweepRuns(pool: pg.Pool, opts: { days: number; now: Date; batch?: number; signal?: AbortSignal }): Promise<number> {
  if (opts.days <= 0) return 0;
  const cutoff = new Date(opts.now.getTime() - opts.days * DAY_MS);
  const batch = opts.batch ?? DEFAULT_BATCH;
  let deleted = 0;
  for (;;) {
    if (opts.signal?.aborted) return deleted;
    const { rowCount } = await pool.query(DELETE_BATCH_SQL, [cutoff, batch]);
    deleted += rowCount ?? 0;
    if ((rowCount ?? 0) < batch) return deleted;
  }
}

/** The retention sweep as a cluster singleton; null when retention is off. Throws on a bad setting. */
export function runRetentionSingleton(opts: { pool: pg.Pool; logger: Logger; env: NodeJS.ProcessEnv; everyMs?: number }): Singleton | null {
  const days = runRetentionDaysFrom(opts.env);
  if (days === 0) return null;
  return periodicSingleton('run-retention', opts.everyMs ?? SWEEP_EVERY_MS, async (signal) => {
    try {
      const deleted = await sweepRuns(opts.pool, { days, now: new Date(), signal });
      if (deleted) opts.logger.info({ runs: deleted, days }, `deleted ${deleted} runs finished more than ${days} days ago`);
    } catch (err) {
      // The database being briefly away must not stop the process; the next sweep retries.
      opts.logger.warn({ err }, 'run retention sweep failed; retrying on the next sweep');
    }
  });
}
