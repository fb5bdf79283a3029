// Draft versions: what a test run of unsaved YAML executes.
//
// Why a hidden version row and not a run-scoped definition: every part of a run - the
// executor (loadVersion), the run page, `khaosflow.run_overview`, retries, concurrency
// admission in khaosflow.claim_run - reads the definition through the run's pinned
// (workflow_id, version), enforced by a foreign key. A draft stored as a version row
// runs through exactly the same queue and executor with no second code path. To keep it
// out of sight, draft versions are numbered BELOW ZERO (-1, -2, ...):
// - `workflows.current_version` only ever points at a positive version (applyWorkflow),
//   so a draft never becomes current and its triggers never arm: every trigger
//   listener (webhook routes, schedules, database and file triggers) reads current
//   versions only;
// - versions lists and reads (server/workflows/authoring.ts) show `version > 0` only;
// - the next saved version is current + 1, so drafts leave no gaps in the numbering.
// A draft of a workflow that does not exist yet needs a workflow row for the foreign
// key: a row with no current version and disabled (so khaosflow.trigger_run refuses
// it). Lists and reads skip such rows (they join the current version), and saving the
// workflow for real adopts the row (applyWorkflow), so its test runs end up in the
// workflow's history. The same text tested twice reuses its draft version, and the
// saved current text runs as the current version.
import { sql } from 'kysely';
import type { Db } from '../client.js';
import type { StoredWorkflowDefinition } from '../stored-workflow.js';

export interface DraftVersion {
  workflowId: number;
  version: number;
}

/**
 * Stores `source` as a draft version of workflow `definition.slug` (creating a hidden
 * draft-only workflow row when there is none); returns what a run should pin.
 * @example const { workflowId, version } = await saveDraftVersion(db, { definition, source, createdBy: 'user:a@b.c' });
 */
export async function saveDraftVersion(
  db: Db,
  opts: { definition: StoredWorkflowDefinition; source: string; createdBy: string },
): Promise<DraftVersion> {
  const { definition, source } = opts;
  return db.transaction().execute(async (trx) => {
    await trx
      .insertInto('khaosflow.workflows')
      .values({ slug: definition.slug, name: definition.name, description: definition.description ?? null, enabled: false })
      .onConflict((oc) => oc.column('slug').doNothing())
      .execute();
    // The row lock serialises two drafts (and a save) of the same workflow.
    const workflow = await trx
      .selectFrom('khaosflow.workflows')
      .select(['id', 'current_version'])
      .where('slug', '=', definition.slug)
      .forUpdate()
      .executeTakeFirstOrThrow();
    // The saved current text, or a draft tested before, is run as it is.
    const same = await trx
      .selectFrom('khaosflow.workflow_versions')
      .select('version')
      .where('workflow_id', '=', workflow.id)
      .where((eb) => eb.or([eb('version', '<', 0), eb('version', '=', workflow.current_version ?? 0)]))
      .where('source_yaml', '=', source)
      .orderBy('version', 'desc')
      .executeTakeFirst();
    if (same) return { workflowId: workflow.id, version: same.version };
    const lowest = await trx
      .selectFrom('khaosflow.workflow_versions')
      .select(sql<number>`coalesce(min(version), 0)`.as('v'))
      .where('workflow_id', '=', workflow.id)
      .where('version', '<', 0)
      .executeTakeFirstOrThrow();
    const version = Number(lowest.v) - 1;
    await trx
      .insertInto('khaosflow.workflow_versions')
      .values({
        workflow_id: workflow.id,
        version,
        source_yaml: source,
        definition: JSON.stringify(definition),
        created_by: opts.createdBy,
        concurrency: definition.concurrency ?? null,
        queue_key: definition.queue ?? null,
        priority: definition.priority ?? 0,
        timeout_ms: definition.timeout_ms ?? null,
      })
      .execute();
    return { workflowId: workflow.id, version };
  });
}
