import type { Route } from './+types/runs';
import { servicesOf } from '../context';

export const meta: Route.MetaFunction = () => [{ title: 'Runs · KhaosFlow' }];

export async function loader({ context }: Route.LoaderArgs) {
  const runs = await servicesOf(context).db
    .selectFrom('khaosflow.runs as r')
    .innerJoin('khaosflow.workflows as w', 'w.id', 'r.workflow_id')
    .select(['r.id', 'r.status', 'r.created_at', 'r.finished_at', 'w.name as workflow'])
    .orderBy('r.created_at', 'desc')
    .limit(50)
    .execute();
  return { runs: runs.map((r) => ({ ...r, created_at: r.created_at.toISOString(), finished_at: r.finished_at?.toISOString() ?? null })) };
}

export default function Runs({ loaderData }: Route.ComponentProps) {
  return (
    <section>
      <h1 className="text-2xl font-semibold">Runs</h1>
      {loaderData.runs.length === 0 ? (
        <p className="mt-6 text-slate-600">No runs yet.</p>
      ) : (
        <ul className="mt-6 divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white text-sm">
          {loaderData.runs.map((r) => (
            <li key={r.id} className="flex gap-4 px-4 py-2">
              <span className="font-mono text-slate-500">{r.id.slice(0, 8)}</span>
              <span className="font-medium">{r.workflow}</span>
              <span>{r.status}</span>
              <span className="ml-auto text-slate-500">{new Date(r.created_at).toLocaleString()}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
