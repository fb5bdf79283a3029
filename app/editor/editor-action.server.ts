// The editor's form intents, shared by /workflows/new and /workflows/<slug>: save (create
// or a new version), roll back, delete. Refusals come back as the page's action data
// (422 with problems at their lines, 409, 404); success either redirects or says what
// was done.
import { data, redirect } from 'react-router';
import type { Services } from '../../server/services.js';
import { AuthoringError, createWorkflow, removeWorkflow, rollbackWorkflow, updateWorkflow } from '../../server/workflows/authoring.js';
import { learnRegisteredActions } from '../../server/workflows/builder-catalog.js';
import type { Problem } from './diagnostics';

export interface EditorResult {
  error: string | null;
  done: string | null;
  problems: Problem[];
}

export const EDITOR_INTENTS = new Set(['save', 'rollback', 'delete']);

/**
 * Carries out one editor intent for `slug` (null: a new workflow) by `who`.
 * @example return editorAction(services, { slug: 'greeter', intent: 'save', form, who: 'ed@example.com' });
 */
export async function editorAction(
  services: Services,
  { slug, intent, form, who }: { slug: string | null; intent: string; form: FormData; who: string },
) {
  const { db } = services;
  // The console bundle has its own copy of the workflow language: without this, a save or
  // rollback would call plugin actions unknown while the API accepts them.
  learnRegisteredActions(services);
  const text = String(form.get('yaml') ?? '');
  try {
    if (intent === 'delete' && slug) {
      await removeWorkflow(db, slug);
      throw redirect('/');
    }
    if (intent === 'rollback' && slug) {
      const wanted = Number(form.get('version'));
      const { version } = await rollbackWorkflow(db, slug, wanted, who);
      return { error: null, done: `Rolled back: version ${version} has the document of version ${wanted}.`, problems: [] } as EditorResult;
    }
    const saved = slug ? await updateWorkflow(db, slug, text, who) : await createWorkflow(db, text, who);
    if (!slug) throw redirect(`/workflows/${saved.slug}`);
    return { error: null, done: `Saved as version ${saved.version}.`, problems: [] } as EditorResult;
  } catch (err) {
    if (err instanceof AuthoringError)
      return data<EditorResult>(
        { error: err.message, done: null, problems: err.problems },
        { status: err.kind === 'invalid' ? 422 : err.kind === 'conflict' ? 409 : 404 },
      );
    throw err;
  }
}
