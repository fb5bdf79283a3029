// "Run now" on a workflow's page: the form's text made into a manual run of the saved
// version (declared parameters left empty count as not given; other workflows take JSON).
import { data, redirect } from 'react-router';
import { startManualRun } from '../../server/runs/index.js';
import type { ServiceError } from '../../server/service-errors.js';
import type { Services } from '../../server/services.js';
import type { ManualTrigger, WorkflowDefinition } from '../../server/workflow/types.js';
import { refused } from '../context';

export type FieldErrors = Record<string, string>;
export const fieldErrors = (e: ServiceError): { errors: FieldErrors } => ({ errors: e.fields ?? { run: e.message } });

/** Starts the run and redirects to its page, or answers the fields' problems. */
export async function runFromForm(
  services: Services,
  workflow: { slug: string; definition: WorkflowDefinition },
  form: FormData,
  startedBy: string,
) {
  const given: { parameters?: Record<string, string>; data?: unknown } = {};
  if (workflow.definition.trigger?.type === 'manual') {
    given.parameters = {};
    for (const p of (workflow.definition.trigger as ManualTrigger).parameters) {
      const value = form.get(p.name);
      if (typeof value === 'string' && value !== '') given.parameters[p.name] = value;
    }
  } else {
    const text = String(form.get('data') ?? '').trim();
    try {
      given.data = text ? JSON.parse(text) : {};
    } catch (err) {
      return data({ errors: { data: `Trigger data is not valid JSON: ${(err as Error).message}` } }, { status: 422 });
    }
  }
  const started = await startManualRun(services, { slug: workflow.slug, ...given, startedBy }).catch((err) => refused(err, fieldErrors));
  if (typeof started !== 'string') return started;
  throw redirect(`/runs/${started}`);
}
