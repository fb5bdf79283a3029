// Starting a run by hand: the API's POST /api/workflows/<slug>/runs, the console's run
// button and `khaosflow run` all come here, so they accept and refuse the same input.
//
// Any workflow can be started by hand, not only those with a manual trigger: trying a
// webhook or schedule workflow is part of building it. With a manual trigger the
// parameters are checked against its declarations (per field) and become trigger.data;
// otherwise `data` (any JSON) becomes trigger.data.
import { triggerRun } from '../queue/enqueue-run.js';
import { ServiceError, startingRun } from '../service-errors.js';
import type { Services } from '../services.js';
import { checkParameters } from '../triggers/manual/parameters.js';
import type { ManualTrigger } from '../workflow/types.js';
import { getWorkflow } from '../workflows/read.js';

type Deps = Pick<Services, 'db' | 'pool'>;

export interface ManualRunRequest {
  slug: string;
  /** Checked against a manual trigger's parameters (text such as "42" or "true" is coerced where declared). */
  parameters?: unknown;
  /** trigger.data for a workflow without a manual trigger. */
  data?: unknown;
  /** Who started it, kept on the run: `user:<email>`, `api-key:<prefix>`, `cli`. */
  startedBy: string;
  /** A second request with the same key gets the first one's run instead of a new run. */
  idempotencyKey?: string | null | undefined;
}

/**
 * The trigger data a manual run of `workflow` gets from `request`, or ServiceError `invalid` (per field).
 * @example manualRunData(workflow, { parameters: { environment: 'prod' } })
 */
export function manualRunData(
  workflow: { slug: string; definition: { trigger?: { type: string } | null | undefined } },
  request: Pick<ManualRunRequest, 'parameters' | 'data'>,
): unknown {
  const trigger = workflow.definition.trigger;
  if (trigger?.type !== 'manual') return request.data ?? request.parameters ?? {};
  if (request.data !== undefined) {
    throw new ServiceError(
      'invalid',
      'invalid_parameters',
      `Workflow "${workflow.slug}" has a manual trigger: send {"parameters": {...}} instead of "data".`,
      { data: 'use parameters' },
    );
  }
  const checked = checkParameters((trigger as ManualTrigger).parameters, request.parameters);
  if (!checked.ok) {
    const listed = Object.entries(checked.errors)
      .map(([k, v]) => `${k} ${v}`)
      .join('; ');
    throw new ServiceError(
      'invalid',
      'invalid_parameters',
      `The parameters do not fit workflow "${workflow.slug}": ${listed}.`,
      checked.errors,
    );
  }
  return checked.values;
}

/**
 * Starts a manual run of the current version of an enabled workflow; returns its id.
 * @example const runId = await startManualRun(services, { slug: 'backup', parameters: { environment: 'prod' }, startedBy: 'cli' });
 */
export async function startManualRun(deps: Deps, request: ManualRunRequest): Promise<string> {
  const workflow = await getWorkflow(deps, request.slug);
  const data = manualRunData(workflow, request);
  return startingRun(() =>
    triggerRun(
      deps.pool,
      workflow.slug,
      'manual',
      { data, started_by: request.startedBy },
      request.idempotencyKey ? `manual:${request.idempotencyKey}` : null,
    ),
  );
}
