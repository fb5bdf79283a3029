// Enabling and disabling a workflow: its triggers start runs only while it is enabled.
import { setWorkflowEnabled as setEnabledQuery } from '../../db/queries/workflow-store.js';
import { notFound } from '../service-errors.js';
import type { Services } from '../services.js';
import { getWorkflow, type WorkflowDetail } from './read.js';

/**
 * Enables or disables the workflow (listeners are told through NOTIFY); ServiceError `not_found` when there is none.
 * @example await setWorkflowEnabled(services, 'backup', false);
 */
export async function setWorkflowEnabled(deps: Pick<Services, 'db'>, slug: string, enabled: boolean): Promise<WorkflowDetail> {
  if (!(await setEnabledQuery(deps.db, slug, enabled))) throw notFound(`workflow "${slug}"`);
  return getWorkflow(deps, slug);
}
