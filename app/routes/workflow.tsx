import { data, Form, Link, redirect, useNavigation } from 'react-router';
import type { Route } from './+types/workflow';
import { listRuns } from '../../db/queries/runs.js';
import { triggerProblem } from '../../db/queries/trigger-problems.js';
import { getDbTriggerInstall } from '../../db/queries/triggers-database.js';
import { getCurrentWorkflow, setWorkflowEnabled } from '../../db/queries/workflow-store.js';
import { triggerRun, WorkflowUnavailableError } from '../../server/queue/enqueue-run.js';
import { checkParameters } from '../../server/triggers/manual/parameters.js';
import { triggerSummary } from '../../server/triggers/summary.js';
import type { ManualTrigger } from '../../server/workflow/types.js';
import { RunForm } from '../components/run-form';
import { StatusBadge } from '../components/status-badge';
import { requireRole, servicesOf, userOf } from '../context';
import { duration, pretty, when } from '../format';

export const meta: Route.MetaFunction = ({ data: loaded }) => [{ title: `${loaded?.workflow.name ?? 'Workflow'} · KhaosFlow` }];

export async function loader({ context, params }: Route.LoaderArgs) {
  const { db } = servicesOf(context);
  const workflow = await getCurrentWorkflow(db, params.slug);
  if (!workflow) throw data(`There is no workflow "${params.slug}".`, { status: 404 });
  const [install, problem, runs, source] = await Promise.all([
    getDbTriggerInstall(db, workflow.id),
    triggerProblem(db, workflow.id),
    listRuns(db, { workflowSlug: workflow.slug, limit: 10 }),
    db
      .selectFrom('khaosflow.workflow_versions')
      .select('source_yaml')
      .where('workflow_id', '=', workflow.id)
      .where('version', '=', workflow.version)
      .executeTakeFirst(),
  ]);
  const trigger = workflow.definition.trigger;
  const manual = trigger?.type === 'manual' ? (trigger as ManualTrigger) : null;
  return {
    workflow: {
      slug: workflow.slug,
      name: workflow.name,
      description: workflow.definition.description ?? null,
      enabled: workflow.enabled,
      version: workflow.version,
    },
    trigger: triggerSummary(trigger ?? null, { install }),
    problem: problem ? { message: problem.message, since: problem.since.toISOString() } : null,
    manual: manual
      ? {
          buttonLabel: manual.button_label ?? 'Run now',
          confirmation: manual.confirmation === true ? `Run ${workflow.name} now?` : manual.confirmation || null,
          parameters: manual.parameters,
        }
      : null,
    runs: runs.map((r) => ({ ...r, created_at: r.created_at.toISOString(), finished_at: r.finished_at?.toISOString() ?? null })),
    source: source?.source_yaml ?? '',
  };
}

export async function action({ context, params, request }: Route.ActionArgs) {
  const form = await request.formData();
  const intent = String(form.get('intent') ?? '');
  const { db, pool } = servicesOf(context);
  const workflow = await getCurrentWorkflow(db, params.slug);
  if (!workflow) throw data(`There is no workflow "${params.slug}".`, { status: 404 });

  if (intent === 'enable' || intent === 'disable') {
    requireRole(context, 'editor', `${intent} workflows`);
    await setWorkflowEnabled(db, workflow.slug, intent === 'enable');
    return { errors: {} as Record<string, string> };
  }
  if (intent !== 'run') return data({ errors: { run: `Unknown action "${intent}".` } }, { status: 400 });

  requireRole(context, 'editor', 'start runs');
  const trigger = workflow.definition.trigger;
  let payload: unknown;
  if (trigger?.type === 'manual') {
    const given: Record<string, string> = {};
    for (const p of (trigger as ManualTrigger).parameters) {
      const value = form.get(p.name);
      if (typeof value === 'string' && value !== '') given[p.name] = value;
    }
    const checked = checkParameters((trigger as ManualTrigger).parameters, given);
    if (!checked.ok) return data({ errors: checked.errors }, { status: 422 });
    payload = checked.values;
  } else {
    const text = String(form.get('data') ?? '').trim();
    try {
      payload = text ? JSON.parse(text) : {};
    } catch (err) {
      return data({ errors: { data: `Trigger data is not valid JSON: ${(err as Error).message}` } }, { status: 422 });
    }
  }
  try {
    const id = await triggerRun(pool, workflow.slug, 'manual', { data: payload, started_by: `user:${userOf(context)!.email}` });
    throw redirect(`/runs/${id}`);
  } catch (err) {
    if (err instanceof WorkflowUnavailableError) return data({ errors: { run: err.message } }, { status: 409 });
    throw err;
  }
}

export default function Workflow({ loaderData, actionData }: Route.ComponentProps) {
  const { workflow, trigger, problem, manual, runs, source } = loaderData;
  const busy = useNavigation().state !== 'idle';
  const errors = actionData?.errors ?? {};
  return (
    <section>
      <div className="text-sm text-slate-500">
        <Link to="/" className="underline">
          Workflows
        </Link>{' '}
        / <span className="font-mono">{workflow.slug}</span>
      </div>
      <div className="mt-2 flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold">{workflow.name}</h1>
        <span className="text-sm text-slate-500">version {workflow.version}</span>
        <span
          className={`rounded-full px-2 py-0.5 text-xs font-medium ${workflow.enabled ? 'bg-emerald-50 text-emerald-700' : 'bg-slate-100 text-slate-500'}`}
        >
          {workflow.enabled ? 'Enabled' : 'Disabled'}
        </span>
        <Form method="post" className="ml-auto">
          <button
            type="submit"
            name="intent"
            value={workflow.enabled ? 'disable' : 'enable'}
            disabled={busy}
            className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50"
          >
            {workflow.enabled ? 'Disable' : 'Enable'}
          </button>
        </Form>
      </div>
      {workflow.description ? <p className="mt-2 text-slate-600">{workflow.description}</p> : null}
      <div className="mt-6 grid gap-6 lg:grid-cols-2">
        <div className="rounded-lg border border-slate-200 bg-white p-4">
          <h2 className="font-semibold">Run</h2>
          <p className="mb-3 text-sm text-slate-500">Trigger: {trigger.type}</p>
          {workflow.enabled ? (
            <RunForm manual={manual} errors={errors} busy={busy} />
          ) : (
            <p className="text-sm text-slate-600">Enable the workflow to start runs.</p>
          )}
        </div>
        <div className="rounded-lg border border-slate-200 bg-white p-4">
          <h2 className="font-semibold">Trigger</h2>
          {problem ? (
            <p role="alert" className="mt-2 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
              Not listening since {when(problem.since)}: {problem.message}
            </p>
          ) : null}
          <pre className="mt-2 overflow-auto text-xs text-slate-700">{pretty(trigger)}</pre>
        </div>
      </div>
      <h2 className="mt-8 flex items-baseline gap-3 text-lg font-semibold">
        Recent runs
        <Link to={`/runs?workflow=${workflow.slug}`} className="text-sm font-normal text-brand-600 underline">
          All runs
        </Link>
      </h2>
      {runs.length === 0 ? (
        <p className="mt-2 text-sm text-slate-600">No runs yet.</p>
      ) : (
        <ul className="mt-2 divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white text-sm">
          {runs.map((r) => (
            <li key={r.id} className="flex items-center gap-4 px-4 py-2">
              <Link to={`/runs/${r.id}`} className="font-mono text-brand-600 underline">
                {r.id.slice(0, 8)}
              </Link>
              <StatusBadge status={r.status} />
              <span className="text-slate-600">{r.trigger_kind}</span>
              <span className="ml-auto text-slate-500">
                {when(r.created_at)} · {duration(r.created_at, r.finished_at)}
              </span>
            </li>
          ))}
        </ul>
      )}
      <h2 className="mt-8 text-lg font-semibold">Definition</h2>
      <pre className="mt-2 max-h-[32rem] overflow-auto rounded-md bg-slate-900 p-4 text-xs text-slate-100">{source}</pre>
    </section>
  );
}
