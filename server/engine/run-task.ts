// The Graphile task `run` (payload: {run_id}). Graphile gives us at-least-once
// delivery; the executor's guarded transitions make that exactly-once per step
// checkpoint.
import type { Task } from 'graphile-worker';
import type { Services } from '../services.js';
import { executeRun } from './executor.js';

export function createRunTask(services: Services): Task {
  return async (payload, helpers) => {
    const runId = (payload as { run_id?: unknown } | null)?.run_id;
    if (typeof runId !== 'string') {
      helpers.logger.error(`job ${helpers.job.id} has no run_id; dropping it`);
      return;
    }
    await executeRun(services, runId, {
      signal: helpers.abortSignal,
      finalAttempt: helpers.job.attempts >= helpers.job.max_attempts,
    });
  };
}
