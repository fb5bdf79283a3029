// Test runs from the editor: run a draft (YAML not saved yet) or the stored workflow
// once, through the real queue and executor, with sample trigger data. The run has
// trigger_kind `test` and reads like any other run (GET /api/runs/<id>, its events).
// A draft is stored as a hidden draft version (db/queries/draft-versions.ts explains
// why): no saved version is added and no trigger is armed.
import { saveDraftVersion } from '../../db/queries/draft-versions.js';
import { getCurrentWorkflow } from '../../db/queries/workflow-store.js';
import { enqueueRun } from '../queue/enqueue-run.js';
import { notFound } from '../service-errors.js';
import type { Services } from '../services.js';
import { listSamples } from '../triggers/webhook/samples.js';
import { parseWorkflow } from '../workflow/index.js';
import type { WorkflowDefinition } from '../workflow/types.js';
import { AuthoringError } from './authoring.js';

type Deps = Pick<Services, 'db' | 'pool'>;

export const TEST_TRIGGER_KIND = 'test';

export interface DraftTestRequest {
  /** The workflow YAML as the editor holds it. */
  yaml: string;
  /** Becomes trigger.data (default {}). */
  data?: unknown;
  /** Who asked, kept on the run: `user:<email>`, `api-key:<prefix>`, `cli`. */
  startedBy: string;
}

/**
 * Runs unsaved YAML once; AuthoringError `invalid` (with problems at line and column) when it does not validate.
 * @example const runId = await startDraftTestRun(services, { yaml, data: { id: 7 }, startedBy: 'cli' });
 */
export async function startDraftTestRun(deps: Deps, request: DraftTestRequest): Promise<string> {
  const parsed = parseWorkflow(request.yaml, { file: 'workflow.yaml' });
  if (!parsed.ok) {
    throw new AuthoringError(
      'invalid',
      'The draft does not validate; fix the problems listed and run the test again.',
      parsed.problems.map((p) => ({ line: p.line, col: p.col, path: p.path, message: p.message })),
    );
  }
  const draft = await saveDraftVersion(deps.db, { definition: parsed.workflow, source: request.yaml, createdBy: request.startedBy });
  return enqueueRun(deps.pool, {
    workflowId: draft.workflowId,
    version: draft.version,
    triggerKind: TEST_TRIGGER_KIND,
    trigger: { data: request.data ?? {}, started_by: request.startedBy },
  });
}

export interface StoredTestRequest {
  slug: string;
  /** trigger.data; without it the newest captured webhook sample, else {}. */
  data?: unknown;
  startedBy: string;
}

/**
 * Runs the current version of a stored workflow once as a test (also when it is disabled); ServiceError `not_found`.
 * @example const runId = await startStoredTestRun(services, { slug: 'order-intake', startedBy: 'user:a@b.c' });
 */
export async function startStoredTestRun(deps: Deps, request: StoredTestRequest): Promise<string> {
  const workflow = await getCurrentWorkflow<WorkflowDefinition>(deps.db, request.slug);
  if (!workflow) throw notFound(`workflow "${request.slug}"`);
  let trigger: Record<string, unknown> = { data: request.data ?? {} };
  if (request.data === undefined) {
    // A captured request ("Listen for a test event") is the sample: the run sees it as the real hook would.
    const [sample] = await listSamples(deps.pool, workflow.slug);
    if (sample) trigger = { ...sample.trigger };
  }
  return enqueueRun(deps.pool, {
    workflowId: workflow.id,
    version: workflow.version,
    triggerKind: TEST_TRIGGER_KIND,
    trigger: { ...trigger, started_by: request.startedBy },
  });
}
