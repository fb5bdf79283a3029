// Applying workflow definitions: create the workflow, or add a version when the YAML
// changed. Versions are immutable; runs pin theirs. Listeners (webhook routes,
// schedules, database triggers) are told through NOTIFY khaosflow_workflows.
import { sql } from 'kysely';
import type { Db } from '../client.js';
import type { StoredWorkflowDefinition } from '../stored-workflow.js';

export interface ApplyResult {
  slug: string;
  workflowId: number;
  version: number;
  outcome: 'created' | 'updated' | 'unchanged';
  enabled: boolean;
}

/**
 * Stores `definition` (parsed from `source`) as the workflow's current version.
 * @example await applyWorkflow(db, { definition, source, createdBy: 'cli' });
 */
export async function applyWorkflow(
  db: Db,
  opts: { definition: StoredWorkflowDefinition; source: string; createdBy?: string; enabled?: boolean },
): Promise<ApplyResult> {
  const { definition, source } = opts;
  return db.transaction().execute(async (trx) => {
    await trx
      .insertInto('khaosflow.workflows')
      .values({ slug: definition.slug, name: definition.name, description: definition.description ?? null, enabled: opts.enabled ?? true })
      .onConflict((oc) => oc.column('slug').doNothing())
      .execute();
    // The row lock serialises two applies of the same workflow.
    const workflow = await trx
      .selectFrom('khaosflow.workflows')
      .selectAll()
      .where('slug', '=', definition.slug)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const current = workflow.current_version
      ? await trx
          .selectFrom('khaosflow.workflow_versions')
          .select(['source_yaml', 'version'])
          .where('workflow_id', '=', workflow.id)
          .where('version', '=', workflow.current_version)
          .executeTakeFirst()
      : undefined;
    // A row without a current version holds only drafts (draft-versions.ts) and is
    // disabled so nothing starts it; saving it for real adopts it, enabled.
    const enabled = opts.enabled ?? (workflow.current_version === null ? true : workflow.enabled);
    if (current && current.source_yaml === source) {
      if (enabled !== workflow.enabled) {
        await trx.updateTable('khaosflow.workflows').set({ enabled, updated_at: new Date() }).where('id', '=', workflow.id).execute();
        await sql`select pg_notify('khaosflow_workflows', ${definition.slug})`.execute(trx);
      }
      return { slug: definition.slug, workflowId: workflow.id, version: current.version, outcome: 'unchanged', enabled };
    }
    const version = (current?.version ?? 0) + 1;
    await trx
      .insertInto('khaosflow.workflow_versions')
      .values({
        workflow_id: workflow.id,
        version,
        source_yaml: source,
        definition: JSON.stringify(definition),
        created_by: opts.createdBy ?? null,
        concurrency: definition.concurrency ?? null,
        queue_key: definition.queue ?? null,
        priority: definition.priority ?? 0,
        timeout_ms: definition.timeout_ms ?? null,
      })
      .execute();
    await trx
      .updateTable('khaosflow.workflows')
      .set({
        current_version: version,
        name: definition.name,
        description: definition.description ?? null,
        enabled,
        updated_at: new Date(),
      })
      .where('id', '=', workflow.id)
      .execute();
    await sql`select pg_notify('khaosflow_workflows', ${definition.slug})`.execute(trx);
    return { slug: definition.slug, workflowId: workflow.id, version, outcome: current ? 'updated' : 'created', enabled };
  });
}

export async function setWorkflowEnabled(db: Db, slug: string, enabled: boolean): Promise<boolean> {
  const res = await db
    .updateTable('khaosflow.workflows')
    .set({ enabled, updated_at: new Date() })
    .where('slug', '=', slug)
    // A row holding only test drafts (draft-versions.ts) stays disabled until it is saved.
    .where('current_version', 'is not', null)
    .executeTakeFirst();
  if (res.numUpdatedRows > 0n) await sql`select pg_notify('khaosflow_workflows', ${slug})`.execute(db);
  return res.numUpdatedRows > 0n;
}

/** `D` is the shape the definitions were stored in (server/workflow's WorkflowDefinition). */
export interface CurrentWorkflow<D extends StoredWorkflowDefinition = StoredWorkflowDefinition> {
  id: number;
  slug: string;
  name: string;
  enabled: boolean;
  version: number;
  definition: D;
}

/** Every workflow with its current definition (trigger listeners build their tables from this). */
export async function currentWorkflows<D extends StoredWorkflowDefinition>(
  db: Db,
  opts: { enabledOnly?: boolean } = {},
): Promise<CurrentWorkflow<D>[]> {
  let q = db
    .selectFrom('khaosflow.workflows as w')
    .innerJoin('khaosflow.workflow_versions as v', (j) =>
      j.onRef('v.workflow_id', '=', 'w.id').onRef('v.version', '=', 'w.current_version'),
    )
    .select(['w.id', 'w.slug', 'w.name', 'w.enabled', 'v.version', 'v.definition'])
    .where('w.deleted_at', 'is', null);
  if (opts.enabledOnly) q = q.where('w.enabled', '=', true);
  const rows = await q.execute();
  return rows.map((r) => ({ ...r, definition: r.definition as D }));
}

export async function getCurrentWorkflow<D extends StoredWorkflowDefinition>(db: Db, slug: string): Promise<CurrentWorkflow<D> | null> {
  const row = await db
    .selectFrom('khaosflow.workflows as w')
    .innerJoin('khaosflow.workflow_versions as v', (j) =>
      j.onRef('v.workflow_id', '=', 'w.id').onRef('v.version', '=', 'w.current_version'),
    )
    .select(['w.id', 'w.slug', 'w.name', 'w.enabled', 'v.version', 'v.definition'])
    .where('w.slug', '=', slug)
    .where('w.deleted_at', 'is', null)
    .executeTakeFirst();
  return row ? { ...row, definition: row.definition as D } : null;
}

/** The YAML of one version as it was applied (comments kept), or null when there is no such version. */
export async function workflowVersionSource(db: Db, workflowId: number, version: number): Promise<string | null> {
  const row = await db
    .selectFrom('khaosflow.workflow_versions')
    .select('source_yaml')
    .where('workflow_id', '=', workflowId)
    .where('version', '=', version)
    .executeTakeFirst();
  return row?.source_yaml ?? null;
}

/** The definition of one stored version (what a run of that version executed). */
export async function getVersionDefinition<D extends StoredWorkflowDefinition>(
  db: Db,
  workflowId: number,
  version: number,
): Promise<D | null> {
  const row = await db
    .selectFrom('khaosflow.workflow_versions')
    .select('definition')
    .where('workflow_id', '=', workflowId)
    .where('version', '=', version)
    .executeTakeFirst();
  return row ? (row.definition as D) : null;
}

/**
 * Deletes a workflow: disabled (its triggers stop), marked deleted and its slug freed
 * (`<slug>--deleted-<id>`), while the row stays so its runs and versions stay readable.
 * @returns false when there is no such workflow
 */
export async function deleteWorkflow(db: Db, slug: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('khaosflow.workflows')
      .set((eb) => ({
        enabled: false,
        deleted_at: new Date(),
        updated_at: new Date(),
        slug: eb.fn('concat', [eb.ref('slug'), sql.lit('--deleted-'), eb.ref('id')]),
      }))
      .where('slug', '=', slug)
      .where('deleted_at', 'is', null)
      .where('current_version', 'is not', null)
      .returning('id')
      .executeTakeFirst();
    if (!row) return false;
    await sql`select pg_notify('khaosflow_workflows', ${slug})`.execute(trx);
    return true;
  });
}
