import { Link } from 'react-router';
import type { Route } from './+types/workflows';
import { dashboardStats, isStatsWindow } from '../../server/stats/dashboard.js';
import { listWorkflows } from '../../server/workflows/index.js';
import { Dashboard } from '../components/dashboard/dashboard';
import { servicesOf } from '../context';

export const meta: Route.MetaFunction = () => [{ title: 'Workflows · KhaosFlow' }];

// The console home: the dashboard for the chosen window, then every workflow.
export async function loader({ context, request }: Route.LoaderArgs) {
  const services = servicesOf(context);
  const asked = new URL(request.url).searchParams.get('window') ?? '24h';
  const [workflows, stats] = await Promise.all([
    listWorkflows(services),
    dashboardStats(services.pool, isStatsWindow(asked) ? asked : '24h'),
  ]);
  return {
    stats,
    workflows: workflows.map((w) => ({
      id: w.id,
      slug: w.slug,
      name: w.name,
      enabled: w.enabled,
      current_version: w.current_version,
      last_run_at: w.last_run_at?.toISOString() ?? null,
      problem: w.triggerProblem?.message ?? null,
    })),
  };
}

export default function Workflows({ loaderData }: Route.ComponentProps) {
  const { workflows, stats } = loaderData;
  return (
    <>
      <Dashboard stats={stats} />
      <section aria-labelledby="workflows-heading">
        <div className="flex items-baseline gap-3">
          <h2 id="workflows-heading" className="text-2xl font-semibold">
            Workflows
          </h2>
          <Link
            to="/workflows/new"
            className="ml-auto rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700"
          >
            New workflow
          </Link>
        </div>
        {workflows.length === 0 ? (
          <p className="mt-6 rounded-lg border border-dashed border-slate-300 bg-white p-8 text-slate-600">
            No workflows yet. Add one with <code className="rounded bg-slate-100 px-1">npx khaosflow workflows apply examples/</code>.
          </p>
        ) : (
          <div className="mt-6 overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="w-full text-left text-sm">
              <thead className="bg-slate-50 text-slate-500">
                <tr>
                  <th className="px-4 py-2 font-medium">Name</th>
                  <th className="px-4 py-2 font-medium">Slug</th>
                  <th className="px-4 py-2 font-medium">Version</th>
                  <th className="px-4 py-2 font-medium">Status</th>
                  <th className="px-4 py-2 font-medium">Last run</th>
                </tr>
              </thead>
              <tbody>
                {workflows.map((w) => (
                  <tr key={w.id} className="border-t border-slate-100">
                    <td className="px-4 py-2 font-medium">
                      <Link to={`/workflows/${w.slug}`} className="text-brand-600 underline">
                        {w.name}
                      </Link>
                    </td>
                    <td className="px-4 py-2 font-mono text-slate-600">{w.slug}</td>
                    <td className="px-4 py-2">{w.current_version ?? '-'}</td>
                    <td className="px-4 py-2">
                      {w.enabled ? 'Enabled' : 'Disabled'}
                      {w.problem ? (
                        <span
                          title={w.problem}
                          className="ml-2 rounded-full bg-red-50 px-2 py-0.5 text-xs font-medium text-red-700 ring-1 ring-inset ring-red-200"
                        >
                          Trigger problem
                        </span>
                      ) : null}
                    </td>
                    <td className="px-4 py-2 text-slate-600">{w.last_run_at ? new Date(w.last_run_at).toLocaleString() : 'Never'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
