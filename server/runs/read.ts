// Reading runs: one run with its steps, and the newest runs (filtered), for the API,
// the console and the CLI alike.
import { getRun as queryRun, listRuns as queryRuns, type RunListItem, type RunView } from '../../db/queries/runs.js';
import { RUN_STATUSES, type RunStatus } from '../engine/statuses.js';
import { notFound } from '../service-errors.js';
import type { Services } from '../services.js';

type Deps = Pick<Services, 'db'>;

export type { RunListItem, RunStatus, RunView };

/**
 * A run with every step attempt in execution order; ServiceError `not_found` when there is none.
 * @example const run = await getRun(services, id);
 */
export async function getRun(deps: Deps, id: string): Promise<RunView> {
  const run = await queryRun(deps.db, id);
  if (!run) throw notFound(`run ${id}`);
  return run;
}

/** The run, or null while it is not (yet) visible: for callers that poll. */
export function findRun(deps: Deps, id: string): Promise<RunView | null> {
  return queryRun(deps.db, id);
}

export interface RunFilter {
  workflowSlug?: string | undefined;
  status?: RunStatus | undefined;
  /** At most this many (default 50, at most 500). */
  limit?: number | undefined;
}

/**
 * The newest runs first.
 * @example const failed = await listRuns(services, { status: 'failed', limit: 20 });
 */
export function listRuns(deps: Deps, filter: RunFilter = {}): Promise<RunListItem[]> {
  return queryRuns(deps.db, {
    ...(filter.workflowSlug ? { workflowSlug: filter.workflowSlug } : {}),
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.limit !== undefined && Number.isInteger(filter.limit) && filter.limit > 0 ? { limit: filter.limit } : {}),
  });
}

/** `text` as a run status, or null when it is none. */
export function runStatusOf(text: string | null | undefined): RunStatus | null {
  return RUN_STATUSES.includes(text as RunStatus) ? (text as RunStatus) : null;
}
