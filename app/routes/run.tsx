import { useEffect, useRef, useState } from 'react';
import { data, Form, Link, redirect, useNavigation, useRevalidator } from 'react-router';
import type { Route } from './+types/run';
import { cancelRun, getRun, retryRun } from '../../server/runs/index.js';
import { versionDefinition } from '../../server/workflows/authoring.js';
import { FlowCanvas } from '../components/flow/flow-canvas';
import { Json, RunSteps } from '../components/run-steps';
import { StatusBadge } from '../components/status-badge';
import { orErrorPage, refused, requireRole, servicesOf } from '../context';
import { stepRunsByNode, workflowGraph } from '../flow/graph';
import { duration, when } from '../format';

export const meta: Route.MetaFunction = ({ data: loaded }) => [{ title: `${loaded?.run.workflow.name ?? 'Run'} · KhaosFlow` }];

export async function loader({ context, params }: Route.LoaderArgs) {
  const services = servicesOf(context);
  const run = await orErrorPage(getRun(services, params.id));
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  const definition = await versionDefinition(services.db, run.workflow.id, run.version);
  const steps = run.steps.map((s) => ({ ...s, started_at: s.started_at.toISOString(), finished_at: iso(s.finished_at) }));
  return {
    graph: definition ? workflowGraph(definition) : null,
    stepRuns: Object.fromEntries(stepRunsByNode(steps)),
    run: {
      ...run,
      wake_at: iso(run.wake_at),
      created_at: iso(run.created_at)!,
      started_at: iso(run.started_at),
      finished_at: iso(run.finished_at),
      steps,
    },
  };
}

export async function action({ context, params, request }: Route.ActionArgs) {
  const intent = String((await request.formData()).get('intent') ?? '');
  const services = servicesOf(context);
  const answer = (e: Error) => ({ error: e.message });
  if (intent === 'cancel') {
    requireRole(context, 'editor', 'cancel runs');
    return cancelRun(services, params.id).then(
      () => ({ error: null }),
      (err) => refused(err, answer),
    );
  }
  if (intent === 'retry-failed' || intent === 'retry-start') {
    requireRole(context, 'editor', 'retry runs');
    const retried = await retryRun(services, params.id, { fromFailedStep: intent === 'retry-failed' }).catch((err) => refused(err, answer));
    if (!('runId' in retried)) return retried;
    throw redirect(`/runs/${retried.runId}`);
  }
  return data({ error: `Unknown action "${intent}".` }, { status: 400 });
}

export default function Run({ loaderData, actionData }: Route.ComponentProps) {
  const { run, graph, stepRuns } = loaderData;
  const busy = useNavigation().state !== 'idle';
  const active = ['queued', 'running', 'waiting'].includes(run.status);
  // While the run is not finished, reload its data every second so steps appear as they run.
  const revalidator = useRevalidator();
  const latest = useRef(revalidator);
  latest.current = revalidator;
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      if (latest.current.state === 'idle') void latest.current.revalidate();
    }, 1000);
    return () => clearInterval(timer);
  }, [active]);
  const error = run.error as unknown as { message?: string; step?: string } | null;
  // The node clicked on the canvas: its recorded steps open below (the trigger: its data).
  const [chosen, setChosen] = useState<string | null>(null);
  const choose = (id: string) => {
    setChosen(id);
    if (id === 'trigger') document.getElementById('trigger-data')?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  };
  return (
    <section>
      <div className="text-sm text-slate-500">
        <Link to="/runs" className="underline">
          Runs
        </Link>{' '}
        / <span className="font-mono">{run.id}</span>
      </div>
      <div className="mt-2 flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold">{run.workflow.name}</h1>
        <span role="status" aria-label="Run status">
          <StatusBadge status={run.status} />
        </span>
        <div className="ml-auto flex gap-2">
          <Form method="post" className="flex gap-2">
            {active ? (
              <button
                type="submit"
                name="intent"
                value="cancel"
                disabled={busy}
                className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50"
              >
                Cancel run
              </button>
            ) : (
              <>
                {run.status === 'failed' ? (
                  <button
                    type="submit"
                    name="intent"
                    value="retry-failed"
                    disabled={busy}
                    className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-brand-500"
                  >
                    Retry from failed step
                  </button>
                ) : null}
                <button
                  type="submit"
                  name="intent"
                  value="retry-start"
                  disabled={busy}
                  className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50"
                >
                  Run again from the start
                </button>
              </>
            )}
          </Form>
        </div>
      </div>
      {actionData?.error ? (
        <p role="alert" className="mt-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {actionData.error}
        </p>
      ) : null}
      <dl className="mt-6 grid grid-cols-2 gap-4 rounded-lg border border-slate-200 bg-white p-4 text-sm md:grid-cols-5">
        <div>
          <dt className="text-slate-500">Trigger</dt>
          <dd>{run.trigger_kind}</dd>
        </div>
        <div>
          <dt className="text-slate-500">Version</dt>
          <dd>{run.version}</dd>
        </div>
        <div>
          <dt className="text-slate-500">Created</dt>
          <dd>{when(run.created_at)}</dd>
        </div>
        <div>
          <dt className="text-slate-500">Duration</dt>
          <dd>{duration(run.started_at, run.finished_at)}</dd>
        </div>
        <div>
          <dt className="text-slate-500">Related</dt>
          <dd>
            {run.retry_of ? (
              <Link className="underline" to={`/runs/${run.retry_of}`}>
                retry of {run.retry_of.slice(0, 8)}
              </Link>
            ) : null}
            {run.parent_run_id ? (
              <Link className="underline" to={`/runs/${run.parent_run_id}`}>
                parent {run.parent_run_id.slice(0, 8)}
              </Link>
            ) : null}
            {!run.retry_of && !run.parent_run_id ? '-' : null}
          </dd>
        </div>
      </dl>
      {error?.message ? (
        <div role="status" aria-label="Run error" className="mt-4 rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-800">
          <span className="font-semibold">{error.step ? `Failed at "${error.step}": ` : 'Failed: '}</span>
          {error.message}
        </div>
      ) : null}
      {graph ? (
        <>
          <h2 className="mt-8 text-lg font-semibold">Flow</h2>
          <div className="mt-2">
            <FlowCanvas graph={graph} runs={stepRuns} label="Flow of this run" selected={chosen} onSelect={choose} />
          </div>
          <p className="mt-1 text-xs text-slate-500">Click a step on the canvas for its input, output and logs.</p>
        </>
      ) : null}
      <h2 className="mt-8 text-lg font-semibold">Steps</h2>
      <RunSteps steps={run.steps} chosen={chosen} />
      <div id="trigger-data" className="scroll-mt-4">
        <Json label="Trigger data" value={run.trigger} />
      </div>
      <Json label="Run output" value={run.output} />
    </section>
  );
}
