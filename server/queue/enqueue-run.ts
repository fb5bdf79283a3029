// Creating runs from TypeScript. Both paths go through the SQL functions of
// sql/000002_engine.sql, so a run created by a webhook, by the CLI or by a user's
// `select khaosflow.start_run(...)` is the same thing.
import type pg from 'pg';
import { NonRetryableError } from '../core/errors.js';

type Queryable = pg.Pool | pg.PoolClient;

export interface EnqueueRequest {
  workflowId: number;
  version: number;
  triggerKind: string;
  /** Becomes `trigger` in expressions: `{data, headers, ...}`. */
  trigger: Record<string, unknown>;
  dedupeKey?: string | null;
  parentRunId?: string | null;
  parentStep?: string | null;
  retryOf?: string | null;
  priority?: number | null;
  runAt?: Date | null;
}

/** Enqueues a run of a given workflow version; returns its id (the existing one for a repeated dedupe key). */
export async function enqueueRun(db: Queryable, req: EnqueueRequest): Promise<string> {
  const { rows } = await db.query<{ id: string }>({
    name: 'kf_enqueue_run',
    text: `select khaosflow.enqueue_run($1, $2, $3, $4::jsonb, p_dedupe_key => $5, p_parent_run => $6, p_parent_step => $7,
                                        p_retry_of => $8, p_priority => $9, p_run_at => $10) as id`,
    values: [
      req.workflowId,
      req.version,
      req.triggerKind,
      JSON.stringify(req.trigger),
      req.dedupeKey ?? null,
      req.parentRunId ?? null,
      req.parentStep ?? null,
      req.retryOf ?? null,
      req.priority ?? null,
      req.runAt?.toISOString() ?? null,
    ],
  });
  return rows[0]!.id;
}

export class WorkflowUnavailableError extends NonRetryableError {
  constructor(
    message: string,
    readonly reason: 'not_found' | 'disabled',
  ) {
    super(message);
    this.name = 'WorkflowUnavailableError';
  }
}

/**
 * Starts a run of the current version of the enabled workflow `slug` in one
 * statement: what webhooks, schedules and the API call.
 * @example const runId = await triggerRun(pool, 'customer-onboarding', 'webhook', { data: body });
 */
export async function triggerRun(
  db: Queryable,
  slug: string,
  triggerKind: string,
  trigger: Record<string, unknown>,
  dedupeKey?: string | null,
): Promise<string> {
  try {
    const { rows } = await db.query<{ id: string }>({
      name: 'kf_trigger_run',
      text: 'select khaosflow.trigger_run($1, $2, $3::jsonb, $4) as id',
      values: [slug, triggerKind, JSON.stringify(trigger), dedupeKey ?? null],
    });
    return rows[0]!.id;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'P0002') throw new WorkflowUnavailableError(`There is no workflow "${slug}".`, 'not_found');
    if (code === '55000') throw new WorkflowUnavailableError(`Workflow "${slug}" is disabled; enable it to start runs.`, 'disabled');
    throw err;
  }
}
