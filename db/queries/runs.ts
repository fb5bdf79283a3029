import { sql } from 'kysely';
import type { Db } from '../client.js';
import type { RunStatus } from '../schema.js';

export interface StepView {
  id: number;
  path: string;
  name: string;
  slug: string;
  action_type: string | null;
  attempt: number;
  status: string;
  input: unknown;
  output: unknown;
  error: unknown;
  logs: unknown;
  started_at: Date;
  finished_at: Date | null;
  carried_over: boolean;
}

export interface RunView {
  id: string;
  workflow: { id: number; slug: string; name: string };
  version: number;
  status: RunStatus;
  trigger_kind: string;
  trigger: unknown;
  attempt: number;
  output: unknown;
  error: unknown;
  parent_run_id: string | null;
  retry_of: string | null;
  wake_at: Date | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  steps: StepView[];
}

/**
 * A run with every step attempt in execution order.
 * @example const run = await getRun(db, id); run?.steps.map((s) => s.status);
 */
export async function getRun(db: Db, id: string): Promise<RunView | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const run = await db
    .selectFrom('khaosflow.runs as r')
    .innerJoin('khaosflow.workflows as w', 'w.id', 'r.workflow_id')
    .select([
      'r.id',
      'r.version',
      'r.status',
      'r.trigger_kind',
      'r.trigger_data',
      'r.attempt',
      'r.output',
      'r.error',
      'r.parent_run_id',
      'r.retry_of',
      'r.wake_at',
      'r.created_at',
      'r.started_at',
      'r.finished_at',
      'w.id as workflow_id',
      'w.slug',
      'w.name',
    ])
    .where('r.id', '=', id)
    .executeTakeFirst();
  if (!run) return null;
  const steps = await db
    .selectFrom('khaosflow.step_runs')
    .select([
      'id',
      'step_path as path',
      'step_name as name',
      'step_slug as slug',
      'action_type',
      'attempt',
      'status',
      'input',
      'output',
      'error',
      'logs',
      'started_at',
      'finished_at',
      'carried_over',
    ])
    .where('run_id', '=', id)
    .orderBy('started_at')
    .orderBy('id')
    .execute();
  return {
    id: run.id,
    workflow: { id: run.workflow_id, slug: run.slug, name: run.name },
    version: run.version,
    status: run.status,
    trigger_kind: run.trigger_kind,
    trigger: run.trigger_data,
    attempt: run.attempt,
    output: run.output,
    error: run.error,
    parent_run_id: run.parent_run_id,
    retry_of: run.retry_of,
    wake_at: run.wake_at,
    created_at: run.created_at,
    started_at: run.started_at,
    finished_at: run.finished_at,
    steps,
  };
}

export interface RunListItem {
  id: string;
  /** The workflow's slug. */
  workflow: string;
  workflow_name: string;
  status: RunStatus;
  trigger_kind: string;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

export async function listRuns(
  db: Db,
  opts: { workflowSlug?: string; status?: RunStatus; limit?: number; before?: Date } = {},
): Promise<RunListItem[]> {
  let q = db
    .selectFrom('khaosflow.runs as r')
    .innerJoin('khaosflow.workflows as w', 'w.id', 'r.workflow_id')
    .select([
      'r.id',
      'w.slug as workflow',
      'w.name as workflow_name',
      'r.status',
      'r.trigger_kind',
      'r.created_at',
      'r.started_at',
      'r.finished_at',
    ])
    .orderBy('r.created_at', 'desc')
    .limit(Math.min(opts.limit ?? 50, 500));
  if (opts.workflowSlug) q = q.where('w.slug', '=', opts.workflowSlug);
  if (opts.status) q = q.where('r.status', '=', opts.status);
  if (opts.before) q = q.where('r.created_at', '<', opts.before);
  return q.execute();
}

/** Cancels through the SQL function, so psql and the API behave the same. */
export async function cancelRun(db: Db, id: string): Promise<boolean> {
  const { rows } = await sql<{ ok: boolean }>`select khaosflow.cancel_run(${id}::uuid) as ok`.execute(db);
  return rows[0]?.ok ?? false;
}

export async function retryRun(db: Db, id: string, opts: { fromFailedStep?: boolean; latestVersion?: boolean } = {}): Promise<string> {
  const { rows } = await sql<{
    id: string;
  }>`select khaosflow.retry_run(${id}::uuid, ${opts.fromFailedStep ?? true}, ${opts.latestVersion ?? false}) as id`.execute(db);
  return rows[0]!.id;
}

/**
 * Starts a new run repeating run `id` (ended) at `version`, carrying over the step
 * attempts `carriedStepIds` of the old run as checkpoints (copied in their original
 * order), in one transaction: the new run's job cannot start before they are there.
 */
export async function retryRunWithSteps(db: Db, id: string, version: number, carriedStepIds: readonly number[]): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const { rows } = await sql<{ id: string }>`
      select khaosflow.enqueue_run(r.workflow_id, ${version}::integer, r.trigger_kind, r.trigger_data,
                                   p_retry_of => r.id, p_priority => r.priority) as id
        from khaosflow.runs r where r.id = ${id}::uuid`.execute(trx);
    const runId = rows[0]!.id;
    if (carriedStepIds.length > 0) {
      await sql`
        insert into khaosflow.step_runs (run_id, step_path, step_slug, step_name, action_type, attempt, status,
                                         input, output, error, logs, started_at, finished_at, carried_over)
        select ${runId}::uuid, s.step_path, s.step_slug, s.step_name, s.action_type, 1, 'succeeded',
               s.input, s.output, null, s.logs, s.started_at, s.finished_at, true
          from khaosflow.step_runs s
         where s.run_id = ${id}::uuid and s.id = any(${[...carriedStepIds]}::bigint[]) and s.status = 'succeeded'
         order by s.id`.execute(trx);
    }
    return runId;
  });
}
