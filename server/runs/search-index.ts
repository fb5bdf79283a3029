// Moves new runs' trigger data text from khaosflow.run_search_backlog into the
// trigram-indexed run_search (sql/000027), so the commit that creates a run never
// waits for trigram indexing. Text search reads both tables, so how often this runs
// changes only how much of the backlog a search scans, never what it finds.
//
// It runs as a cluster singleton (server/singletons.ts): one process moves the backlog;
// should two ever run at once, the SQL function stays correct.
import type pg from 'pg';
import type { Logger } from '../logger.js';
import type { Singleton } from '../singletons.js';

export const INDEX_EVERY_MS = 1_000;
export const DEFAULT_BATCH = 5_000;

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

/** The backlog mover as a cluster singleton. */
export function runSearchIndexSingleton(opts: { pool: pg.Pool; logger: Logger; everyMs?: number }): Singleton {
  return {
    name: 'run-search-index',
    async start() {
      const stopping = new AbortController();
      let inFlight: Promise<void> = Promise.resolve();
      const move = async () => {
        try {
          await indexRunSearch(opts.pool, { signal: stopping.signal });
        } catch (err) {
          // Searches still find the runs in the backlog; the next tick retries.
          opts.logger.warn({ err }, 'could not move new runs into the search index; retrying shortly');
        }
      };
      const timer = setInterval(() => {
        inFlight = inFlight.then(move);
      }, opts.everyMs ?? INDEX_EVERY_MS);
      timer.unref();
      inFlight = move();
      return async () => {
        stopping.abort();
        clearInterval(timer);
        await inFlight;
      };
    },
  };
}
