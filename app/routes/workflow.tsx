// A workflow's page (/workflows/<slug>): what it is and whether its trigger listens,
// "Run now", its recent runs, and its editor (canvas + YAML), test panel and versions.
// Viewers see all of it read only; the server refuses their changes anyway.
import { useState } from 'react';
import { data, Link, useNavigation } from 'react-router';
import { findRun, listRuns } from '../../server/runs/index.js';
import type { ManualTrigger } from '../../server/workflow/types.js';
import { getWorkflow, setWorkflowEnabled } from '../../server/workflows/index.js';
import { DiffSection } from '../components/editor/diff-section';
import { RecentRuns } from '../components/editor/recent-runs';
import { RunAndTrigger } from '../components/editor/run-and-trigger';
import { TestPanel } from '../components/editor/test-panel';
import type { VersionDiffProps } from '../components/editor/version-diff';
import { VersionsPanel } from '../components/editor/versions-panel';
import { WorkflowEditor } from '../components/editor/workflow-editor';
import { WorkflowHeader } from '../components/editor/workflow-header';
import { FlowCanvas } from '../components/flow/flow-canvas';
import { useTestStatuses } from '../components/flow/use-test-statuses';
import { Notice } from '../components/notice';
import { orErrorPage, refused, requireRole, servicesOf, userOf } from '../context';
import { EDITOR_INTENTS, editorAction } from '../editor/editor-action.server';
import { editorLanguage, savedWorkflowEditor } from '../editor/editor-data.server';
import { fieldErrors, runFromForm } from '../editor/run-action.server';
import { useWorkflowDraft } from '../editor/use-workflow-draft';
import { stepRunsByNode, workflowGraph } from '../flow/graph';
import type { Route } from './+types/workflow';

export const meta: Route.MetaFunction = ({ data: loaded }) => [{ title: `${loaded?.workflow.name ?? 'Workflow'} · KhaosFlow` }];

export async function loader({ context, params }: Route.LoaderArgs) {
  const services = servicesOf(context);
  const editable = userOf(context)?.role !== 'viewer';
  const workflow = await orErrorPage(getWorkflow(services, params.slug));
  const [runs, editor, language] = await Promise.all([
    listRuns(services, { workflowSlug: workflow.slug, limit: 10 }),
    savedWorkflowEditor(services, workflow),
    editorLanguage(services, editable),
  ]);
  const trigger = workflow.definition.trigger;
  const manual = trigger?.type === 'manual' ? (trigger as ManualTrigger) : null;
  const problem = workflow.triggerProblem;
  // The canvas shows how the latest run of the current version went, step by step.
  const latest = runs[0] ? await findRun(services, runs[0].id) : null;
  const latestRun = latest?.version === workflow.version ? latest : null;
  const latestSteps = (latestRun?.steps ?? []).map((s) => ({
    path: s.path,
    status: s.status,
    started_at: s.started_at.toISOString(),
    finished_at: s.finished_at?.toISOString() ?? null,
  }));
  return {
    ...editor,
    ...language,
    editable,
    graph: workflowGraph(workflow.definition),
    latestRun: latestRun ? { id: latestRun.id, status: latestRun.status, steps: Object.fromEntries(stepRunsByNode(latestSteps)) } : null,
    workflow: {
      slug: workflow.slug,
      name: workflow.name,
      description: workflow.definition.description ?? null,
      enabled: workflow.enabled,
      version: workflow.version,
    },
    trigger: workflow.trigger,
    problem: problem ? { message: problem.message, since: problem.since.toISOString() } : null,
    manual: manual
      ? {
          buttonLabel: manual.button_label ?? 'Run now',
          confirmation: manual.confirmation === true ? `Run ${workflow.name} now?` : manual.confirmation || null,
          parameters: manual.parameters,
        }
      : null,
    runs: runs.map((r) => ({
      ...r,
      created_at: r.created_at.toISOString(),
      started_at: r.started_at?.toISOString() ?? null,
      finished_at: r.finished_at?.toISOString() ?? null,
    })),
  };
}

export async function action({ context, params, request }: Route.ActionArgs) {
  const form = await request.formData();
  const intent = String(form.get('intent') ?? '');
  const services = servicesOf(context);
  const who = userOf(context)!.email;
  if (EDITOR_INTENTS.has(intent)) {
    requireRole(context, 'editor', 'edit workflows');
    return editorAction(services, { slug: params.slug, intent, form, who });
  }
  const workflow = await orErrorPage(getWorkflow(services, params.slug));
  if (intent === 'enable' || intent === 'disable') {
    requireRole(context, 'editor', `${intent} workflows`);
    return setWorkflowEnabled(services, workflow.slug, intent === 'enable').then(
      () => ({ errors: {} }),
      (err) => refused(err, fieldErrors),
    );
  }
  if (intent !== 'run') return data({ errors: { run: `Unknown action "${intent}".` } }, { status: 400 });
  requireRole(context, 'editor', 'start runs');
  return runFromForm(services, workflow, form, `user:${who}`);
}

export default function Workflow({ loaderData, actionData }: Route.ComponentProps) {
  const { workflow, editable, graph, latestRun } = loaderData;
  const busy = useNavigation().state !== 'idle';
  const draft = useWorkflowDraft(loaderData.text, actionData, editable);
  const [diff, setDiff] = useState<VersionDiffProps | null>(null);
  const [testRuns, showTestSteps] = useTestStatuses();
  const result = actionData && 'done' in actionData ? actionData : null;
  const errors = actionData && 'errors' in actionData ? actionData.errors : {};
  const latestCanvas = latestRun ? (
    <>
      <h2 className="flex items-baseline gap-3 text-lg font-semibold">
        Flow
        <span className="text-sm font-normal text-slate-500">
          as in the{' '}
          <Link to={`/runs/${latestRun.id}`} className="text-brand-600 underline">
            latest run
          </Link>
        </span>
      </h2>
      <div className="mt-2">
        <FlowCanvas graph={graph} runs={latestRun.steps} />
      </div>
    </>
  ) : null;

  return (
    <section className="min-w-0">
      <WorkflowHeader workflow={workflow} editable={editable} />
      <div className="mt-6">
        <RunAndTrigger
          enabled={workflow.enabled}
          editable={editable}
          manual={loaderData.manual}
          errors={errors}
          trigger={loaderData.trigger}
          problem={loaderData.problem}
        />
      </div>
      <div className="mt-8">
        <RecentRuns slug={workflow.slug} runs={loaderData.runs} />
      </div>
      {editable && latestCanvas ? <div className="mt-8">{latestCanvas}</div> : null}
      <h2 className="mt-8 text-lg font-semibold">{editable ? 'Edit and test' : 'Definition'}</h2>
      <Notice error={result?.error} done={result?.done} />
      {/* The test panel sits beside the editor only on wide screens: the builder has 31rem of
          fixed columns (palette, side panel) and its canvas needs room of its own. */}
      <div className="mt-4 grid gap-6 2xl:grid-cols-[minmax(0,1fr)_24rem]">
        <WorkflowEditor
          draft={draft}
          editable={editable}
          schema={loaderData.schema}
          names={loaderData.names}
          savedProblems={result?.problems ?? []}
          saveLabel="Save new version"
          canvas={latestCanvas ?? <FlowCanvas graph={graph} />}
          testRuns={testRuns}
        />
        <div className="flex min-w-0 flex-col gap-6">
          {editable ? (
            <TestPanel text={draft.current} pastRuns={loaderData.pastRuns} captureKey={workflow.slug} onSteps={showTestSteps} />
          ) : null}
          <VersionsPanel
            key={loaderData.versions[0]?.version}
            slug={workflow.slug}
            versions={loaderData.versions}
            busy={busy}
            editable={editable}
            deleteWarning={loaderData.deleteWarning}
            onDiff={setDiff}
          />
        </div>
      </div>
      <DiffSection diff={diff} />
    </section>
  );
}
