// Reading workflows with what callers show next to them: a summary of the trigger (the
// run button's label, confirmation and parameters; a schedule's next tick; whether a
// database trigger is installed) and why a file or email trigger is not listening.
import { triggerProblem, triggerProblems } from '../../db/queries/trigger-problems.js';
import { getDbTriggerInstall, listDbTriggerInstalls } from '../../db/queries/triggers-database.js';
import { currentWorkflows, getCurrentWorkflow, workflowVersionSource, type CurrentWorkflow } from '../../db/queries/workflow-store.js';
import { listWorkflows as queryWorkflows } from '../../db/queries/workflows.js';
import { notFound } from '../service-errors.js';
import type { Services } from '../services.js';
import { triggerSummary, type TriggerSummary } from '../triggers/summary.js';
import type { WorkflowDefinition } from '../workflow/types.js';

type Deps = Pick<Services, 'db'>;

export interface TriggerProblem {
  message: string;
  since: Date;
}

export interface WorkflowDetail extends CurrentWorkflow<WorkflowDefinition> {
  trigger: TriggerSummary;
  /** Why the trigger is not listening; null while it is. */
  triggerProblem: TriggerProblem | null;
}

export interface WorkflowListItem {
  id: number;
  slug: string;
  name: string;
  description: string | null;
  enabled: boolean;
  /** Null only for a workflow row inserted by hand without a version. */
  current_version: number | null;
  updated_at: Date;
  last_run_at: Date | null;
  /** Null with current_version. */
  trigger: TriggerSummary | null;
  triggerProblem: TriggerProblem | null;
}

/**
 * The workflow's current version with its trigger summary and problem; ServiceError `not_found` when there is none.
 * @example const workflow = await getWorkflow(services, 'backup');
 */
export async function getWorkflow(deps: Deps, slug: string): Promise<WorkflowDetail> {
  const workflow = await getCurrentWorkflow<WorkflowDefinition>(deps.db, slug);
  if (!workflow) throw notFound(`workflow "${slug}"`);
  const [install, problem] = await Promise.all([getDbTriggerInstall(deps.db, workflow.id), triggerProblem(deps.db, workflow.id)]);
  return { ...workflow, trigger: triggerSummary(workflow.definition.trigger ?? null, { install }), triggerProblem: problem };
}

/** Every workflow by name, with the time of its latest run. */
export async function listWorkflows(deps: Deps): Promise<WorkflowListItem[]> {
  const [rows, current, installs, problems] = await Promise.all([
    queryWorkflows(deps.db),
    currentWorkflows<WorkflowDefinition>(deps.db),
    listDbTriggerInstalls(deps.db),
    triggerProblems(deps.db),
  ]);
  const definitions = new Map(current.map((w) => [w.id, w.definition]));
  const byWorkflow = new Map(installs.map((i) => [i.workflow_id, i]));
  return rows.map((w) => {
    const definition = definitions.get(w.id);
    return {
      ...w,
      description: definition?.description ?? null,
      trigger: definition ? triggerSummary(definition.trigger ?? null, { install: byWorkflow.get(w.id) ?? null }) : null,
      triggerProblem: problems.get(w.id) ?? null,
    };
  });
}

/** The YAML of the workflow's current version as it was applied (comments kept). */
export async function workflowSource(deps: Deps, workflow: Pick<CurrentWorkflow, 'id' | 'version'>): Promise<string> {
  return (await workflowVersionSource(deps.db, workflow.id, workflow.version)) ?? '';
}
