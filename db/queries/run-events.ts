// What a live view of one run reads, cheaply enough to ask a few times a second: the
// run's status, and only the step rows that are new or may still change.
import type { Db } from '../client.js';
import type { RunStatus } from '../schema.js';

export interface RunStatusRow {
  id: string;
  status: RunStatus;
  error: unknown;
  started_at: Date | null;
  finished_at: Date | null;
}

export async function runStatusRow(db: Db, runId: string): Promise<RunStatusRow | null> {
  if (!/^[0-9a-f-]{36}$/i.test(runId)) return null;
  const row = await db
    .selectFrom('khaosflow.runs')
    .select(['id', 'status', 'error', 'started_at', 'finished_at'])
    .where('id', '=', runId)
    .executeTakeFirst();
  return row ?? null;
}

export interface StepEventRow {
  id: number;
  step_path: string;
  step_slug: string;
  step_name: string;
  action_type: string | null;
  attempt: number;
  status: string;
  output: unknown;
  error: unknown;
  started_at: Date;
  finished_at: Date | null;
  carried_over: boolean;
}

/**
 * Step rows of `runId` written after row `afterId`, plus the rows `ids` (those last seen
 * running: a running row is updated in place when its step ends), in write order.
 */
export async function stepRowsSince(db: Db, runId: string, afterId: number, ids: readonly number[]): Promise<StepEventRow[]> {
  return db
    .selectFrom('khaosflow.step_runs')
    .select([
      'id',
      'step_path',
      'step_slug',
      'step_name',
      'action_type',
      'attempt',
      'status',
      'output',
      'error',
      'started_at',
      'finished_at',
      'carried_over',
    ])
    .where('run_id', '=', runId)
    .where((eb) => (ids.length > 0 ? eb.or([eb('id', '>', afterId), eb('id', 'in', [...ids])]) : eb('id', '>', afterId)))
    .orderBy('id')
    .execute();
}
