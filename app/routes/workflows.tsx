import { Link } from 'react-router';
import type { Route } from './+types/workflows';
import { listWorkflows } from '../../server/workflows/index.js';
import { servicesOf } from '../context';

export const meta: Route.MetaFunction = () => [{ title: 'Workflows · KhaosFlow' }];

export async function loader({ context }: Route.LoaderArgs) {
  const workflows = await listWorkflows(servicesOf(context));
  return {
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
  const { workflows } = loaderData;
  return (
    <section>
      <h1 className="text-2xl font-semibold">Workflows</h1>
      {workflows.length === 0 ? (
        <p className="mt-6 rounded-lg border border-dashed border-slate-300 bg-white p-8 text-slate-600">
          No workflows yet. Add one with <code className="rounded bg-slate-100 px-1">npx khaosflow workflows apply examples/</code>.
        </p>
      ) : (
        <table className="mt-6 w-full overflow-hidden rounded-lg border border-slate-200 bg-white text-left text-sm">
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
      )}
    </section>
  );
}
