// What the workflow editor needs from the server, for the new-workflow page and the
// workflow's own page: the language (JSON Schema, {{ }} names), the saved text and its
// versions, and past runs whose trigger data can be tried again in the test panel.
import { findRun, listRuns } from '../../server/runs/index.js';
import type { Services } from '../../server/services.js';
import { listSecrets } from '../../server/settings/secrets.js';
import { listVariables } from '../../server/settings/variables.js';
import { workflowJsonSchema } from '../../server/workflow/json-schema.js';
import type { WorkflowDefinition } from '../../server/workflow/types.js';
import { listVersions, versionSource } from '../../server/workflows/authoring.js';
import { deleteWarning } from '../../server/workflows/delete-warning.js';

/** How many past runs offer their trigger data as test samples. */
const SAMPLE_RUNS = 5;

/** The schema for completion and the `vars.*` / `secrets.*` names; editors only (viewers get no names). */
export async function editorLanguage(services: Services, withNames: boolean) {
  if (!withNames) return { schema: workflowJsonSchema(), names: { vars: [] as string[], secrets: [] as string[] } };
  const [{ variables }, { secrets }] = await Promise.all([listVariables(services), listSecrets(services)]);
  return { schema: workflowJsonSchema(), names: { vars: variables.map((v) => v.name), secrets: secrets.map((s) => s.name) } };
}

/** The newest runs' trigger data, offered as sample data. */
async function pastRunSamples(services: Services, slug: string) {
  const runs = await listRuns(services, { workflowSlug: slug, limit: SAMPLE_RUNS });
  return (await Promise.all(runs.map((r) => findRun(services, r.id)))).flatMap((run) =>
    run
      ? [
          {
            id: run.id,
            status: run.status,
            created_at: run.created_at.toISOString(),
            data: (run.trigger as { data?: unknown })?.data ?? null,
          },
        ]
      : [],
  );
}

/** A saved workflow in the editor: its current text, versions, past runs' data and what a delete stops. */
export async function savedWorkflowEditor(services: Services, workflow: { slug: string; definition: WorkflowDefinition }) {
  const versions = await listVersions(services.db, workflow.slug);
  const [text, pastRuns] = await Promise.all([
    versionSource(services.db, workflow.slug, versions[0]!.version),
    pastRunSamples(services, workflow.slug),
  ]);
  return { text, versions, pastRuns, deleteWarning: deleteWarning(workflow.slug, workflow.definition.trigger) };
}
