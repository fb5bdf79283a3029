// Cancelling and retrying runs. Both go through the SQL functions (khaosflow.cancel_run,
// khaosflow.retry_run), so psql, the API, the console and the CLI behave the same.
import { cancelRun as cancelQuery, retryRun as retryQuery, retryRunWithSteps } from '../../db/queries/runs.js';
import { getVersionDefinition } from '../../db/queries/workflow-store.js';
import { isFinalRunStatus } from '../engine/statuses.js';
import { ServiceError } from '../service-errors.js';
import type { Services } from '../services.js';
import type { WorkflowDefinition } from '../workflow/types.js';
import { getRun, type RunView } from './read.js';
import { carriedSteps, stepSlugs } from './retry-from-step.js';

type Deps = Pick<Services, 'db'>;

/** A run can be retried once it has ended (succeeded, failed or cancelled). */
export const canRetry = (run: { status: string }): boolean => isFinalRunStatus(run.status);

/**
 * Cancels a queued, running or waiting run; ServiceError `conflict` when it has already ended.
 * @example await cancelRun(services, runId);
 */
export async function cancelRun(deps: Deps, id: string): Promise<{ id: string; status: 'cancelled' }> {
  const run = await getRun(deps, id);
  if (!(await cancelQuery(deps.db, run.id))) throw new ServiceError('conflict', 'conflict', `Run ${run.id} is already ${run.status}.`);
  return { id: run.id, status: 'cancelled' };
}

export interface RetryOptions {
  /** Carry over the steps that succeeded and start at the failed one (default), or start from the first step. */
  fromFailedStep?: boolean;
  /** Run the workflow's current version instead of the one the run pinned. */
  latestVersion?: boolean;
  /**
   * Start at this step (slug): the steps before it keep their outputs and are not run
   * again (retry-from-step.ts). Takes the place of fromFailedStep.
   */
  fromStep?: string | undefined;
}

/**
 * Starts a new run retrying an ended one; ServiceError `conflict` while it has not ended.
 * @example const { runId } = await retryRun(services, failedRunId, { fromFailedStep: true });
 */
export async function retryRun(deps: Deps, id: string, opts: RetryOptions = {}): Promise<{ runId: string; retryOf: string }> {
  const run = await getRun(deps, id);
  if (!canRetry(run))
    throw new ServiceError('conflict', 'conflict', `Run ${run.id} is still ${run.status}; cancel it or wait for it to finish.`);
  if (opts.fromStep !== undefined)
    return { runId: await retryFromStep(deps, run, opts.fromStep, opts.latestVersion ?? false), retryOf: run.id };
  const runId = await retryQuery(deps.db, run.id, {
    fromFailedStep: opts.fromFailedStep ?? true,
    latestVersion: opts.latestVersion ?? false,
  });
  return { runId, retryOf: run.id };
}

async function retryFromStep(deps: Deps, run: RunView, fromStep: string, latestVersion: boolean): Promise<string> {
  const current = latestVersion
    ? await deps.db.selectFrom('khaosflow.workflows').select('current_version').where('id', '=', run.workflow.id).executeTakeFirst()
    : undefined;
  const version = current?.current_version ?? run.version;
  const definition = await getVersionDefinition<WorkflowDefinition>(deps.db, run.workflow.id, version);
  if (!definition) throw new ServiceError('conflict', 'conflict', `Workflow "${run.workflow.slug}" has no version ${version} any more.`);
  const carried = carriedSteps(definition.steps, fromStep, run.steps);
  if (!carried) {
    throw new ServiceError(
      'invalid',
      'unknown_step',
      `Workflow "${run.workflow.slug}" (version ${version}) has no step "${fromStep}"; re-run from one of: ${stepSlugs(definition.steps).join(', ')}.`,
      { from_step: 'is not a step slug of the workflow' },
    );
  }
  return retryRunWithSteps(deps.db, run.id, version, carried);
}
