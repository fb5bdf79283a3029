// khaosflow.file_watch_state: the version (size, mtime) of every file a watcher has
// handled. Recording a version and starting its run is one statement, so a crash
// cannot separate them; the dedupe key names the version, so it never runs twice.
import { sql } from 'kysely';
import type { Db } from '../client.js';

export interface SeenFile {
  path: string;
  size: number;
  mtime: Date;
}

export async function seenFiles(db: Db, workflowId: number): Promise<SeenFile[]> {
  return db.selectFrom('khaosflow.file_watch_state').select(['path', 'size', 'mtime']).where('workflow_id', '=', workflowId).execute();
}

/** Records the file's version; with `run`, also starts the run in the same statement. */
export async function recordFile(
  db: Db,
  workflowId: number,
  file: SeenFile,
  run?: { slug: string; trigger: Record<string, unknown>; dedupeKey: string },
): Promise<void> {
  const save = sql`insert into khaosflow.file_watch_state (workflow_id, path, size, mtime)
                   values (${workflowId}, ${file.path}, ${file.size}, ${file.mtime.toISOString()}::timestamptz)
                   on conflict (workflow_id, path) do update set size = excluded.size, mtime = excluded.mtime, seen_at = now()`;
  if (!run) {
    await save.execute(db);
    return;
  }
  await sql`with saved as (${save} returning 1),
                 started as (select khaosflow.trigger_run(${run.slug}, 'file_watcher', ${JSON.stringify(run.trigger)}::jsonb, ${run.dedupeKey}) as id)
            select (select count(*) from saved) as saved, (select id from started) as run_id`.execute(db);
}

/** Forgets a deleted file; with `run`, also starts the run in the same statement. */
export async function forgetFile(
  db: Db,
  workflowId: number,
  path: string,
  run?: { slug: string; trigger: Record<string, unknown>; dedupeKey: string },
): Promise<void> {
  const forget = sql`delete from khaosflow.file_watch_state where workflow_id = ${workflowId} and path = ${path}`;
  if (!run) {
    await forget.execute(db);
    return;
  }
  await sql`with gone as (${forget} returning 1),
                 started as (select khaosflow.trigger_run(${run.slug}, 'file_watcher', ${JSON.stringify(run.trigger)}::jsonb, ${run.dedupeKey}) as id)
            select (select count(*) from gone) as gone, (select id from started) as run_id`.execute(db);
}
