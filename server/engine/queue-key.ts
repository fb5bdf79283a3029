// `queue:` in a workflow: runs whose key evaluates to the same value run one at a
// time, in order. Each key is a serial Graphile queue named after the workflow.
import { compileTemplate } from '../expression/index.js';
import type { LoadedVersion } from './definitions.js';
import type { ClaimedRun } from './run-store.js';

export async function queueNameFor(run: Pick<ClaimedRun, 'trigger_data' | 'id'>, version: LoadedVersion): Promise<string> {
  let key: unknown;
  try {
    key = await compileTemplate(version.queueKey).evaluate({ trigger: run.trigger_data });
  } catch {
    key = null;
  }
  const text = key === null || key === undefined || key === '' ? '_' : typeof key === 'string' ? key : JSON.stringify(key);
  return `q:${version.workflowId}:${text.slice(0, 200)}`;
}
