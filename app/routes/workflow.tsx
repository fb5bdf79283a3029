import { data, Form, Link, redirect, useNavigation } from 'react-router';
import type { Route } from './+types/workflow';
import { findRun, listRuns, startManualRun } from '../../server/runs/index.js';
import type { ServiceError } from '../../server/service-errors.js';
import type { ManualTrigger } from '../../server/workflow/types.js';
import { getWorkflow, setWorkflowEnabled, workflowSource } from '../../server/workflows/index.js';
import { FlowCanvas } from '../components/flow/flow-canvas';
import { RunForm } from '../components/run-form';
import { StatusBadge } from '../components/status-badge';
import { orErrorPage, refused, requireRole, servicesOf, userOf } from '../context';
import { stepRunsByNode, workflowGraph } from '../flow/graph';
import { duration, pretty, when } from '../format';

export const meta: Route.MetaFunction = ({ data: loaded }) => [{ title: `${loaded?.workflow.name ?? 'Workflow'} · KhaosFlow` }];

export async function loader({ context, params }: Route.LoaderArgs) {
  const services = servicesOf(context);
  const workflow = await orErrorPage(getWorkflow(services, params.slug));
  const [runs, source] = await Promise.all([
    listRuns(services, { workflowSlug: workflow.slug, limit: 10 }),
    workflowSource(services, workflow),
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
    source,
  };
}

type Errors = Record<string, string>;
const fieldErrors = (e: ServiceError): { errors: Errors } => ({ errors: e.fields ?? { run: e.message } });

export async function action({ context, params, request }: Route.ActionArgs) {
  const form = await request.formData();
  const intent = String(form.get('intent') ?? '');
  const services = servicesOf(context);
  const workflow = await orErrorPage(getWorkflow(services, params.slug));

  if (intent === 'enable' || intent === 'disable') {
    requireRole(context, 'editor', `${intent} workflows`);
    return setWorkflowEnabled(services, workflow.slug, intent === 'enable').then(
      () => ({ errors: {} as Errors }),
      (err) => refused(err, fieldErrors),
    );
  }
  if (intent !== 'run') return data({ errors: { run: `Unknown action "${intent}".` } }, { status: 400 });

  requireRole(context, 'editor', 'start runs');
  // The form sends text: declared parameters left empty count as not given; other workflows take JSON.
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
  const started = await startManualRun(services, { slug: workflow.slug, ...given, startedBy: `user:${userOf(context)!.email}` }).catch(
    (err) => refused(err, fieldErrors),
  );
  if (typeof started !== 'string') return started;
  throw redirect(`/runs/${started}`);
}

export default function Workflow({ loaderData, actionData }: Route.ComponentProps) {
  const { workflow, trigger, problem, manual, runs, source, graph, latestRun } = loaderData;
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
        <Link
          to={`/workflows/${workflow.slug}/edit`}
          className="ml-auto rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50"
        >
          Edit
        </Link>
        <Form method="post">
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
      <h2 className="mt-6 flex items-baseline gap-3 text-lg font-semibold">
        Flow
        {latestRun ? (
          <span className="text-sm font-normal text-slate-500">
            as in the{' '}
            <Link to={`/runs/${latestRun.id}`} className="text-brand-600 underline">
              latest run
            </Link>
          </span>
        ) : null}
      </h2>
      <div className="mt-2">
        <FlowCanvas graph={graph} runs={latestRun?.steps} />
      </div>
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
