// The trigger a "sample from ..." request is about: the unsaved draft's when the body
// carries {"yaml": "<workflow file>"}, else the saved workflow's. Shared by the table
// and mailbox samples so both answer bad drafts and unknown workflows the same way.
import type Koa from 'koa';
import { getCurrentWorkflow } from '../../../db/queries/workflow-store.js';
import { readJsonBody } from '../../core/http-body.js';
import { HttpError, notFound } from '../../core/http-error.js';
import type { Services } from '../../services.js';
import { parseWorkflow } from '../../workflow/index.js';
import type { WorkflowDefinition } from '../../workflow/types.js';

export async function sampleTrigger(
  services: Services,
  ctx: Koa.Context,
  slug: string,
): Promise<WorkflowDefinition['trigger'] | undefined> {
  const body = (await readJsonBody(ctx)) as { yaml?: unknown };
  if (body.yaml !== undefined) {
    if (typeof body.yaml !== 'string') throw new HttpError(400, 'bad_request', 'Send {"yaml": "<the draft workflow file>"} or no body.');
    const parsed = parseWorkflow(body.yaml, { file: `${slug}.yaml` });
    if (!parsed.ok)
      throw new HttpError(
        422,
        'invalid_workflow',
        `The draft is not a valid workflow: ${parsed.problems.map((p) => `${p.line}:${p.col} ${p.message}`).join('; ')}`,
        { problems: parsed.problems },
      );
    return parsed.workflow.trigger;
  }
  const workflow = await getCurrentWorkflow<WorkflowDefinition>(services.db, slug);
  if (!workflow) throw notFound(`Workflow "${slug}" (for an unsaved draft, send {"yaml": ...})`);
  return workflow.definition.trigger;
}
