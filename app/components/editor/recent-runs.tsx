// A workflow's newest runs, each linking to its page, and the way to all of them.
import { Link } from 'react-router';
import { duration, when } from '../../format';
import { StatusBadge } from '../status-badge';

export interface RecentRun {
  id: string;
  status: string;
  trigger_kind: string;
  created_at: string;
  finished_at: string | null;
}

export function RecentRuns({ slug, runs }: { slug: string; runs: RecentRun[] }) {
  return (
    <section aria-label="Recent runs">
      <h2 className="flex items-baseline gap-3 text-lg font-semibold">
        Recent runs
        <Link to={`/runs?workflow=${slug}`} className="text-sm font-normal text-brand-600 underline">
          All runs
        </Link>
      </h2>
      {runs.length === 0 ? (
        <p className="mt-2 text-sm text-slate-600">No runs yet.</p>
      ) : (
        <ul className="mt-2 divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white text-sm">
          {runs.map((r) => (
            <li key={r.id} className="flex flex-wrap items-center gap-x-4 gap-y-1 px-4 py-2">
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
    </section>
  );
}
