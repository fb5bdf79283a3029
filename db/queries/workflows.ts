import type { Db } from '../client.js';

export interface WorkflowListItem {
  id: number;
  slug: string;
  name: string;
  enabled: boolean;
  current_version: number | null;
  updated_at: Date;
  last_run_at: Date | null;
}

/**
 * Workflows for the console list, with the time of each one's latest run.
 * @example const items = await listWorkflows(db);
 */
export async function listWorkflows(db: Db): Promise<WorkflowListItem[]> {
  return (
    db
      .selectFrom('khaosflow.workflows as w')
      .select(['w.id', 'w.slug', 'w.name', 'w.enabled', 'w.current_version', 'w.updated_at'])
      .select((eb) =>
        eb
          .selectFrom('khaosflow.runs as r')
          .whereRef('r.workflow_id', '=', 'w.id')
          .select('r.created_at')
          .orderBy('r.created_at', 'desc')
          .limit(1)
          .as('last_run_at'),
      )
      .where('w.deleted_at', 'is', null)
      // A row without a current version holds only drafts of an unsaved workflow.
      .where('w.current_version', 'is not', null)
      .orderBy('w.name')
      .execute()
  );
}
