// Creating and changing workflows from YAML text (the API and the console editor):
// validate with the same parser as `khaosflow validate`, store a new immutable version
// only when the text changed, list versions, read one back exactly as saved, roll back.
import type { Db } from '../../db/client.js';
import { applyWorkflow, deleteWorkflow, getVersionDefinition } from '../../db/queries/workflow-store.js';
import { parseWorkflow } from '../workflow/index.js';
import type { Problem, WorkflowDefinition } from '../workflow/types.js';

/** A problem as the API shows it (file names mean nothing for a request body). */
export interface AuthoringProblem {
  line: number;
  col: number;
  path: string;
  message: string;
}

/** Why a save was refused: `invalid` (422 with problems), `conflict` (409), `not_found` (404). */
export class AuthoringError extends Error {
  constructor(
    readonly kind: 'invalid' | 'conflict' | 'not_found',
    message: string,
    readonly problems: AuthoringProblem[] = [],
  ) {
    super(message);
    this.name = 'AuthoringError';
  }
}

const toProblem = (p: Problem): AuthoringProblem => ({ line: p.line, col: p.col, path: p.path, message: p.message });

export function validateWorkflowText(text: string): { valid: boolean; problems: AuthoringProblem[]; warnings: AuthoringProblem[] } {
  const parsed = parseWorkflow(text, { file: 'workflow.yaml' });
  return parsed.ok
    ? { valid: true, problems: [], warnings: parsed.warnings.map(toProblem) }
    : { valid: false, problems: parsed.problems.map(toProblem), warnings: parsed.warnings.map(toProblem) };
}

function parseOrThrow(text: string) {
  const parsed = parseWorkflow(text, { file: 'workflow.yaml' });
  if (!parsed.ok) throw new AuthoringError('invalid', 'The workflow does not validate.', parsed.problems.map(toProblem));
  return parsed.workflow;
}

/** Whether `slug` is a saved workflow (a row holding only test drafts does not count: db/queries/draft-versions.ts). */
async function exists(db: Db, slug: string): Promise<boolean> {
  const row = await db
    .selectFrom('khaosflow.workflows')
    .select('id')
    .where('slug', '=', slug)
    .where('current_version', 'is not', null)
    .executeTakeFirst();
  return row !== undefined;
}

/** Stores a new workflow; its slug comes from its name (or `slug:`). */
export async function createWorkflow(db: Db, text: string, createdBy: string): Promise<{ slug: string; version: number }> {
  const definition = parseOrThrow(text);
  if (await exists(db, definition.slug))
    throw new AuthoringError(
      'conflict',
      `A workflow "${definition.slug}" exists already; change it with PUT /api/workflows/${definition.slug}.`,
    );
  const saved = await applyWorkflow(db, { definition, source: text, createdBy });
  if (saved.outcome !== 'created')
    throw new AuthoringError('conflict', `A workflow "${definition.slug}" was created at the same moment; change it with PUT instead.`);
  return { slug: saved.slug, version: saved.version };
}

/** Stores `text` as the next version of `slug`; the same text keeps the current version. */
export async function updateWorkflow(db: Db, slug: string, text: string, createdBy: string): Promise<{ slug: string; version: number }> {
  const definition = parseOrThrow(text);
  if (definition.slug !== slug)
    throw new AuthoringError(
      'invalid',
      `The document is workflow "${definition.slug}", not "${slug}": its name (or slug:) must give "${slug}". To rename, create a new workflow.`,
      [{ line: 1, col: 1, path: 'name', message: `gives the slug "${definition.slug}", not "${slug}"` }],
    );
  if (!(await exists(db, slug)))
    throw new AuthoringError('not_found', `Workflow "${slug}" was not found; create it with POST /api/workflows.`);
  const saved = await applyWorkflow(db, { definition, source: text, createdBy });
  return { slug: saved.slug, version: saved.version };
}

export interface VersionListing {
  version: number;
  created_at: string;
  created_by: string | null;
}

export async function listVersions(db: Db, slug: string): Promise<VersionListing[]> {
  const rows = await db
    .selectFrom('khaosflow.workflow_versions as v')
    .innerJoin('khaosflow.workflows as w', 'w.id', 'v.workflow_id')
    .select(['v.version', 'v.created_at', 'v.created_by'])
    .where('w.slug', '=', slug)
    // Test drafts are numbered below zero and are no part of the history.
    .where('v.version', '>', 0)
    .orderBy('v.version', 'desc')
    .execute();
  if (rows.length === 0) throw new AuthoringError('not_found', `Workflow "${slug}" was not found.`);
  return rows.map((r) => ({ version: r.version, created_at: r.created_at.toISOString(), created_by: r.created_by }));
}

/** The YAML of one version exactly as it was saved (comments and key order included). */
export async function versionSource(db: Db, slug: string, version: number): Promise<string> {
  const row = await db
    .selectFrom('khaosflow.workflow_versions as v')
    .innerJoin('khaosflow.workflows as w', 'w.id', 'v.workflow_id')
    .select('v.source_yaml')
    .where('w.slug', '=', slug)
    .where('v.version', '=', version)
    .where('v.version', '>', 0)
    .executeTakeFirst();
  if (!row) throw new AuthoringError('not_found', `Workflow "${slug}" has no version ${version}.`);
  return row.source_yaml;
}

/** A new version whose document equals version `version` (history is never rewritten). */
export async function rollbackWorkflow(
  db: Db,
  slug: string,
  version: number,
  createdBy: string,
): Promise<{ slug: string; version: number }> {
  const text = await versionSource(db, slug, version);
  const definition = parseOrThrow(text);
  const current = await db.selectFrom('khaosflow.workflows').select('current_version').where('slug', '=', slug).executeTakeFirst();
  if (current?.current_version === version) return { slug, version };
  // Versions are never rewritten: the old text becomes the newest version.
  const saved = await applyWorkflow(db, { definition, source: text, createdBy: `${createdBy} (rollback to ${version})` });
  return { slug: saved.slug, version: saved.version };
}

/** Deletes a workflow: its triggers stop at once; its runs and versions stay readable. */
export async function removeWorkflow(db: Db, slug: string): Promise<void> {
  if (!(await deleteWorkflow(db, slug))) throw new AuthoringError('not_found', `Workflow "${slug}" was not found.`);
}

/** The definition a run of `version` executed (the console draws it). */
export function versionDefinition(db: Db, workflowId: number, version: number): Promise<WorkflowDefinition | null> {
  return getVersionDefinition<WorkflowDefinition>(db, workflowId, version);
}
