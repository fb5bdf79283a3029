// Workflow versions are immutable, so each process keeps the ones it has run in
// memory: a run of a hot workflow never reads its definition from the database.
import type pg from 'pg';
import type { WorkflowDefinition } from '../workflow/types.js';

export interface LoadedVersion {
  workflowId: number;
  version: number;
  definition: WorkflowDefinition;
  queueKey: string | null;
  timeoutMs: number | null;
}

const MAX_CACHED = 1000;
const cache = new Map<string, LoadedVersion>();

export async function loadVersion(pool: pg.Pool, workflowId: number, version: number): Promise<LoadedVersion> {
  const key = `${workflowId}:${version}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const { rows } = await pool.query<{ definition: WorkflowDefinition; queue_key: string | null; timeout_ms: number | null }>({
    name: 'kf_load_version',
    text: 'select definition, queue_key, timeout_ms from khaosflow.workflow_versions where workflow_id = $1 and version = $2',
    values: [workflowId, version],
  });
  const row = rows[0];
  if (!row) throw new Error(`Workflow ${workflowId} has no version ${version}; was it deleted while runs were queued?`);
  const loaded: LoadedVersion = { workflowId, version, definition: row.definition, queueKey: row.queue_key, timeoutMs: row.timeout_ms };
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
  cache.set(key, loaded);
  return loaded;
}
