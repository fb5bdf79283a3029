// "New workflow" (/workflows/new): start blank or from a template, edit on the canvas or
// as YAML, test the draft, and create it; its page (/workflows/<slug>) takes over then.

import { listWorkflowStarters, BLANK_WORKFLOW } from '../../server/workflows/starters.js';
import { TemplateGallery } from '../components/editor/template-gallery';
import { TestPanel } from '../components/editor/test-panel';
import { WorkflowEditor } from '../components/editor/workflow-editor';
import { useTestStatuses } from '../components/flow/use-test-statuses';
import { Link } from 'react-router';
import { Notice } from '../components/notice';
import { requireRole, servicesOf, userOf } from '../context';
import { editorAction } from '../editor/editor-action.server';
import { editorLanguage } from '../editor/editor-data.server';
import { useWorkflowDraft } from '../editor/use-workflow-draft';
import type { Route } from './+types/workflow-new';

export const meta: Route.MetaFunction = () => [{ title: 'New workflow · KhaosFlow' }];

export async function loader({ context, request }: Route.LoaderArgs) {
  requireRole(context, 'editor', 'create workflows');
  const starters = await listWorkflowStarters();
  const chosen = new URL(request.url).searchParams.get('template') ?? 'blank';
  return {
    ...(await editorLanguage(servicesOf(context), true)),
    text: starters.find((s) => s.id === chosen)?.text ?? BLANK_WORKFLOW,
    starters: starters.map(({ text: _text, ...card }) => card),
    chosen,
    // Test events caught for this unsaved draft are kept under a key of its own.
    captureKey: `draft-${crypto.randomUUID().slice(0, 8)}`,
  };
}

export async function action({ context, request }: Route.ActionArgs) {
  requireRole(context, 'editor', 'create workflows');
  const form = await request.formData();
  return editorAction(servicesOf(context), { slug: null, intent: 'save', form, who: userOf(context)!.email });
}

export default function WorkflowNew({ loaderData, actionData }: Route.ComponentProps) {
  const draft = useWorkflowDraft(loaderData.text, actionData, true);
  const [testRuns, showTestSteps] = useTestStatuses();
  return (
    <section className="min-w-0">
      <div className="text-sm text-slate-500">
        <Link to="/" className="underline">
          Workflows
        </Link>{' '}
        / new
      </div>
      <h1 className="mt-2 text-2xl font-semibold">New workflow</h1>
      <TemplateGallery starters={loaderData.starters} chosen={loaderData.chosen} />
      <Notice error={actionData?.error} done={actionData?.done} />
      {/* The test panel sits beside the editor only on wide screens: the builder has 31rem of
          fixed columns (palette, side panel) and its canvas needs room of its own. */}
      <div className="mt-4 grid gap-6 2xl:grid-cols-[minmax(0,1fr)_24rem]">
        <WorkflowEditor
          draft={draft}
          editable
          schema={loaderData.schema}
          names={loaderData.names}
          savedProblems={actionData?.problems ?? []}
          saveLabel="Create workflow"
          testRuns={testRuns}
        />
        <div className="flex min-w-0 flex-col gap-6">
          <TestPanel text={draft.current} pastRuns={[]} captureKey={loaderData.captureKey} onSteps={showTestSteps} />
        </div>
      </div>
    </section>
  );
}
