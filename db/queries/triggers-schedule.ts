// The scheduler's reads and writes. Firing a tick is one statement
// (khaosflow.run_schedule_tick): the run, deduplicated by tick, and the schedule's
// last tick commit together, so a crash can neither lose the tick nor run it twice.
import { sql } from 'kysely';
import type { Db } from '../client.js';

/** `T` is the shape the schedule trigger was stored in (server/workflow's ScheduleTrigger). */
export interface ScheduledWorkflow<T> {
  id: number;
  slug: string;
  trigger: T;
  /** Last apply, enable or edit of the workflow: ticks before it are not caught up. */
  updated_at: Date;
  last_tick: Date | null;
}

/** Enabled workflows whose current version has a schedule trigger, with their last tick. */
export async function scheduledWorkflows<T>(db: Db, workflowId?: number): Promise<ScheduledWorkflow<T>[]> {
  let q = db
    .selectFrom('khaosflow.workflows as w')
    .innerJoin('khaosflow.workflow_versions as v', (j) =>
      j.onRef('v.workflow_id', '=', 'w.id').onRef('v.version', '=', 'w.current_version'),
    )
    .leftJoin('khaosflow.schedule_state as s', 's.workflow_id', 'w.id')
    .select(['w.id', 'w.slug', 'w.updated_at', 's.last_tick', sql<T>`v.definition -> 'trigger'`.as('trigger')])
    .where('w.enabled', '=', true)
    .where(sql<string>`v.definition -> 'trigger' ->> 'type'`, '=', 'schedule');
  if (workflowId !== undefined) q = q.where('w.id', '=', workflowId);
  return (await q.execute()) as ScheduledWorkflow<T>[];
}

/** Runs the tick (once, however many schedulers call this) and records it as the last tick. */
export async function runScheduleTick(db: Db, slug: string, tick: Date, trigger: Record<string, unknown>): Promise<string> {
  const { rows } = await sql<{
    id: string;
  }>`select khaosflow.run_schedule_tick(${slug}, ${tick.toISOString()}::timestamptz, ${JSON.stringify(trigger)}::jsonb) as id`.execute(db);
  return rows[0]!.id;
}

/** Records ticks up to `upTo` as handled without running them (catch_up none / latest). */
export async function skipScheduleTicks(db: Db, slug: string, upTo: Date): Promise<void> {
  await sql`select khaosflow.skip_schedule_ticks(${slug}, ${upTo.toISOString()}::timestamptz)`.execute(db);
}
