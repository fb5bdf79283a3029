import { Link, NavLink } from 'react-router';
import type { Route } from './+types/runs';
import { listRuns, runStatusOf, type RunStatus } from '../../server/runs/index.js';
import { StatusBadge } from '../components/status-badge';
import { servicesOf } from '../context';
import { duration, when } from '../format';

export const meta: Route.MetaFunction = () => [{ title: 'Runs · KhaosFlow' }];

const FILTERS: RunStatus[] = ['failed', 'running', 'waiting', 'queued', 'succeeded', 'cancelled'];

export async function loader({ context, request }: Route.LoaderArgs) {
  const url = new URL(request.url);
  const wanted = runStatusOf(url.searchParams.get('status'));
  const status = wanted && FILTERS.includes(wanted) ? wanted : null;
  const workflow = url.searchParams.get('workflow');
  const runs = await listRuns(servicesOf(context), { status: status ?? undefined, workflowSlug: workflow ?? undefined });
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return {
    status,
    workflow,
    runs: runs.map((r) => ({
      ...r,
      created_at: r.created_at.toISOString(),
      started_at: iso(r.started_at),
      finished_at: iso(r.finished_at),
    })),
  };
}

export default function Runs({ loaderData }: Route.ComponentProps) {
  const { runs, status, workflow } = loaderData;
  const withWorkflow = (query: string) => {
    const params = new URLSearchParams(query);
    if (workflow) params.set('workflow', workflow);
    const text = params.toString();
    return text ? `/runs?${text}` : '/runs';
  };
  const filter = (to: string, label: string, active: boolean) => (
    <NavLink
      key={label}
      to={to}
      className={`rounded-md px-2 py-1 ${active ? 'bg-slate-200 font-medium' : 'text-slate-600 hover:bg-slate-100'}`}
    >
      {label}
    </NavLink>
  );
  return (
    <section>
      <h1 className="text-2xl font-semibold">Runs</h1>
      {workflow ? (
        <p className="mt-1 text-sm text-slate-600">
          Of workflow{' '}
          <Link to={`/workflows/${workflow}`} className="font-mono underline">
            {workflow}
          </Link>{' '}
          ·{' '}
          <Link to={status ? `/runs?status=${status}` : '/runs'} className="underline">
            all workflows
          </Link>
        </p>
      ) : null}
      <nav aria-label="Filter runs" className="mt-4 flex flex-wrap gap-1 text-sm">
        {filter(withWorkflow(''), 'All', status === null)}
        {FILTERS.map((s) => filter(withWorkflow(`status=${s}`), s, status === s))}
      </nav>
      {runs.length === 0 ? (
        <p className="mt-6 text-slate-600">{status ? `No ${status} runs.` : 'No runs yet.'}</p>
      ) : (
        <table className="mt-4 w-full overflow-hidden rounded-lg border border-slate-200 bg-white text-left text-sm">
          <thead className="bg-slate-50 text-slate-500">
            <tr>
              <th className="px-4 py-2 font-medium">Run</th>
              <th className="px-4 py-2 font-medium">Workflow</th>
              <th className="px-4 py-2 font-medium">Status</th>
              <th className="px-4 py-2 font-medium">Trigger</th>
              <th className="px-4 py-2 font-medium">Started</th>
              <th className="px-4 py-2 font-medium">Duration</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr key={r.id} className="border-t border-slate-100">
                <td className="px-4 py-2 font-mono">
                  <Link to={`/runs/${r.id}`} className="text-brand-600 underline">
                    {r.id.slice(0, 8)}
                  </Link>
                </td>
                <td className="px-4 py-2 font-medium">{r.workflow_name}</td>
                <td className="px-4 py-2">
                  <StatusBadge status={r.status} />
                </td>
                <td className="px-4 py-2 text-slate-600">{r.trigger_kind}</td>
                <td className="px-4 py-2 text-slate-600">{when(r.created_at)}</td>
                <td className="px-4 py-2 text-slate-600">{duration(r.started_at, r.finished_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
