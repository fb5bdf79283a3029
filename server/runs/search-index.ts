// Moves new runs' trigger data text from khaosflow.run_search_backlog into the
// trigram-indexed run_search (sql/000027), so the commit that creates a run never
// waits for trigram indexing. Text search reads both tables, so how often this runs
// changes only how much of the backlog a search scans, never what it finds.
//
// It runs as a cluster singleton (server/singletons.ts): one process moves the backlog;
// should two ever run at once, the SQL function stays correct.
//
// The backlog is a queue table: every row is deleted soon after it is written, so its
// dead rows are vacuumed here, at most every VACUUM_EVERY_MS, rather than left to
// autovacuum (which an operator may have turned off). Without it the searches' scan of
// the backlog reads every page it ever had: 17 ms instead of 0.6 after a million runs.
import type pg from 'pg';
import type { Logger } from '../logger.js';
import { periodicSingleton, type Singleton } from '../singletons.js';

export const INDEX_EVERY_MS = 1_000;
export const DEFAULT_BATCH = 5_000;
export const VACUUM_EVERY_MS = 10_000;

/**
 * Moves the whole backlog into run_search, batch by batch; returns how many rows went.
 * @example await indexRunSearch(pool)
 */
export async function indexRunSearch(pool: pg.Pool, opts: { batch?: number; signal?: AbortSignal } = {}): Promise<number> {
  const batch = opts.batch ?? DEFAULT_BATCH;
  let moved = 0;
  for (;;) {
    if (opts.signal?.aborted) return moved;
    const { rows } = await pool.query<{ moved: number }>('select khaosflow.index_run_search($1) as moved', [batch]);
    const n = rows[0]?.moved ?? 0;
    moved += n;
    if (n < batch) return moved;
  }
}

/**
 * Frees the backlog's dead rows, and the file's empty tail when nothing holds the table.
 * A role that does not own the table gets a warning from Postgres, not an error.
 */
export async function vacuumBacklog(pool: pg.Pool): Promise<void> {
  await pool.query('vacuum khaosflow.run_search_backlog');
}

/** The backlog mover as a cluster singleton. */
export function runSearchIndexSingleton(opts: { pool: pg.Pool; logger: Logger; everyMs?: number }): Singleton {
  let movedSinceVacuum = 0;
  let vacuumedAt = 0;
  return periodicSingleton('run-search-index', opts.everyMs ?? INDEX_EVERY_MS, async (signal) => {
    try {
      movedSinceVacuum += await indexRunSearch(opts.pool, { signal });
      if (movedSinceVacuum > 0 && Date.now() - vacuumedAt >= VACUUM_EVERY_MS) {
        await vacuumBacklog(opts.pool);
        movedSinceVacuum = 0;
        vacuumedAt = Date.now();
      }
    } catch (err) {
      // Searches still find the runs in the backlog; the next round retries.
      opts.logger.warn({ err }, 'could not move new runs into the search index; retrying shortly');
    }
  });
}
