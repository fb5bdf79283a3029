// Retention of downloaded HTTP answers: $KHAOSFLOW_HOME/files/http/<run id>/, written
// by server/actions/http/response-body.ts. A run's folder is deleted once the run
// finished more than KHAOSFLOW_HTTP_FILES_RETENTION_DAYS ago (default 7; 0 keeps
// everything), or once the run is gone from khaosflow.runs and the folder has not
// changed for as long - so nothing younger than the retention period is ever deleted,
// whatever database the folder's run lived in.
//
// A folder is kept while anything may still read its files: its run, a retry of it
// (retry_run from the failed step carries the earlier steps' output, file paths
// included, into the new run) or the parent run that called it (call_workflow hands the
// child's output to the parent), as long as any of them is queued, running, waiting
// or finished within the period.
//
// It runs on a timer in every worker process rather than as a cluster singleton: the
// folders are on the disk of whichever worker ran the step, and workers may run on
// several machines, each with its own KHAOSFLOW_HOME; a singleton would sweep one of
// those disks only. Processes that share a home (docker compose's volume) sweep the same
// folders, which is harmless: deleting is idempotent.
import fs from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { httpFilesDir } from './roots.js';
import type { Logger } from '../logger.js';

export const DEFAULT_RETENTION_DAYS = 7;
export const SWEEP_EVERY_MS = 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
const BATCH = 500;
// Folders are named by run ids as Postgres prints them; anything else is not ours.
const RUN_FOLDER = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// $1 the candidate run ids, $2 the cutoff. `edges` reads the retry and child runs
// through their partial indexes (runs_retry_of_idx, runs_parent_idx); it runs only when
// there are folders to look at, once per sweep.
const EXPIRED_SQL = `
  with recursive edges as materialized (
    select id as dependent, retry_of as run from khaosflow.runs where retry_of is not null
    union all
    select parent_run_id, id from khaosflow.runs where parent_run_id is not null
  ), family (folder, id) as (
    select id, id from khaosflow.runs where id = any($1::uuid[])
    union
    select f.folder, e.dependent from family f join edges e on e.run = f.id
  )
  select f.folder::text as id, false as gone
    from family f join khaosflow.runs r on r.id = f.id
   group by f.folder
  having bool_and(r.status in ('succeeded', 'failed', 'cancelled') and coalesce(r.finished_at, r.created_at) < $2)
  union all
  select c::text, true
    from unnest($1::uuid[]) c
   where not exists (select 1 from khaosflow.runs r where r.id = c)`;

export interface SweepResult {
  /** Run ids whose folders were deleted. */
  deleted: string[];
  /** Folders that should have gone but could not be deleted. */
  failed: { run: string; error: string }[];
}

/**
 * The retention period from the environment, in days; 0 turns deletion off.
 * @example retentionDaysFrom({ KHAOSFLOW_HTTP_FILES_RETENTION_DAYS: '30' }) // 30
 */
export function retentionDaysFrom(env: NodeJS.ProcessEnv): number {
  const raw = env.KHAOSFLOW_HTTP_FILES_RETENTION_DAYS?.trim();
  if (raw === undefined || raw === '') return DEFAULT_RETENTION_DAYS;
  const days = Number(raw);
  if (!Number.isInteger(days) || days < 0) {
    throw new Error(
      `KHAOSFLOW_HTTP_FILES_RETENTION_DAYS must be a whole number of days (0 keeps downloaded HTTP answers forever), got "${raw}".`,
    );
  }
  return days;
}

async function runFolders(folder: string): Promise<string[]> {
  try {
    return (await fs.readdir(folder, { withFileTypes: true })).filter((e) => e.isDirectory() && RUN_FOLDER.test(e.name)).map((e) => e.name);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/**
 * Deletes the run folders under `folder` that are past retention at `now`.
 * @example await sweepHttpFiles(pool, httpFilesDir(home), 7, new Date())
 */
export async function sweepHttpFiles(pool: pg.Pool, folder: string, retentionDays: number, now: Date): Promise<SweepResult> {
  const result: SweepResult = { deleted: [], failed: [] };
  if (retentionDays <= 0) return result;
  const cutoff = new Date(now.getTime() - retentionDays * DAY_MS);
  const runs = await runFolders(folder);
  for (let i = 0; i < runs.length; i += BATCH) {
    const { rows } = await pool.query<{ id: string; gone: boolean }>(EXPIRED_SQL, [runs.slice(i, i + BATCH), cutoff]);
    for (const { id, gone } of rows) {
      const dir = path.join(folder, id);
      try {
        // A folder of a run this database does not know may belong to another
        // installation sharing the home: it goes only once it is as old as the period.
        if (gone && (await fs.stat(dir)).mtime >= cutoff) continue;
        await fs.rm(dir, { recursive: true, force: true });
        result.deleted.push(id);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        result.failed.push({ run: id, error: (err as Error).message });
      }
    }
  }
  return result;
}

export interface HttpFilesRetention {
  stop(): Promise<void>;
}

/**
 * Sweeps $home/files/http at start and every `everyMs`. Throws at once when
 * KHAOSFLOW_HTTP_FILES_RETENTION_DAYS is not a whole number.
 */
export function startHttpFilesRetention(opts: {
  pool: pg.Pool;
  logger: Logger;
  home: string;
  env: NodeJS.ProcessEnv;
  everyMs?: number;
}): HttpFilesRetention {
  const days = retentionDaysFrom(opts.env);
  const folder = httpFilesDir(opts.home);
  if (days === 0) {
    opts.logger.info({ folder }, 'downloaded HTTP answers are kept forever (KHAOSFLOW_HTTP_FILES_RETENTION_DAYS=0)');
    return { stop: async () => undefined };
  }
  let stopped = false;
  let inFlight: Promise<void> = Promise.resolve();

  const sweep = async () => {
    try {
      const { deleted, failed } = await sweepHttpFiles(opts.pool, folder, days, new Date());
      if (deleted.length) opts.logger.info({ folder, runs: deleted.length, days }, 'deleted downloaded HTTP answers past retention');
      for (const f of failed)
        opts.logger.warn(
          { folder, run: f.run, err: f.error },
          'could not delete downloaded HTTP answers past retention; check the folder permissions',
        );
    } catch (err) {
      // The database or the disk being briefly away must not stop the worker.
      opts.logger.warn({ err, folder }, 'HTTP download retention sweep failed; retrying on the next sweep');
    }
  };

  const timer = setInterval(() => {
    if (!stopped) inFlight = inFlight.then(sweep);
  }, opts.everyMs ?? SWEEP_EVERY_MS);
  timer.unref();
  inFlight = sweep();

  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await inFlight;
    },
  };
}
