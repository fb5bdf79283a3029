// `queue:` in a workflow: runs whose key evaluates to the same value run one at a
// time, in order. Each key is a serial Graphile queue named after the workflow.
import type pg from 'pg';
import { NonRetryableError } from '../core/errors.js';
import { cachedTemplate } from '../expression/template-cache.js';
import { loadVersion, type LoadedVersion } from './definitions.js';
import { setQueues, unqueuedRunsUpTo, type ClaimedRun } from './run-store.js';

/** A run's `queue:` key failed to evaluate: the run fails rather than silently joining the queue `_` of keyless runs. */
export class QueueKeyError extends NonRetryableError {
  constructor(queueKey: string, cause: unknown) {
    super(
      `The workflow's queue key ${JSON.stringify(queueKey)} could not be evaluated for this run: ${(cause as Error)?.message ?? String(cause)}. ` +
        'Fix `queue:` in the workflow (it sees only `trigger`), then retry the run.',
      { cause },
    );
    this.name = 'QueueKeyError';
  }
}

/** @throws QueueKeyError when the key expression fails for this run's trigger. */
export async function queueNameFor(run: Pick<ClaimedRun, 'trigger_data' | 'id'>, version: LoadedVersion): Promise<string> {
  const queueKey = version.queueKey ?? '';
  let key: unknown;
  try {
    key = await cachedTemplate(queueKey).evaluate({ trigger: run.trigger_data });
  } catch (err) {
    throw new QueueKeyError(queueKey, err);
  }
  // An empty key (the field is missing from this trigger) is a key too: those runs share the queue `_`.
  const text = key === null || key === undefined || key === '' ? '_' : typeof key === 'string' ? key : JSON.stringify(key);
  return `q:${version.workflowId}:${text.slice(0, 200)}`;
}

/**
 * Evaluates the queue key of `run` and, first, of every older queued run of the same
 * workflow still without one, and stores them. Runs started from SQL get their key
 * here, in the worker; without the older ones, a run whose job a worker happened to
 * take first could be admitted before an older run of the same key ("in order").
 * An older run whose key fails is left without a queue (it fails when it is executed).
 * @throws QueueKeyError when `run`'s own key fails to evaluate
 */
export async function assignQueues(
  pool: pg.Pool,
  run: Pick<ClaimedRun, 'id' | 'workflow_id' | 'trigger_data'>,
  version: LoadedVersion,
): Promise<string> {
  const pending = await unqueuedRunsUpTo(pool, run.workflow_id, run.id);
  const ids: string[] = [];
  const names: string[] = [];
  let own: string | null = null;
  for (const other of pending) {
    const otherVersion = other.version === version.version ? version : await loadVersion(pool, run.workflow_id, other.version);
    if (!otherVersion.queueKey) continue;
    let name: string;
    try {
      name = await queueNameFor(other, otherVersion);
    } catch (err) {
      if (err instanceof QueueKeyError && other.id !== run.id) continue;
      throw err;
    }
    ids.push(other.id);
    names.push(name);
    if (other.id === run.id) own = name;
  }
  if (ids.length) await setQueues(pool, ids, names);
  // Not among the pending (no longer queued, or its name was set meanwhile): evaluate it alone.
  return own ?? queueNameFor(run, version);
}
