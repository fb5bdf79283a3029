// The console home's operations view: numbers for the chosen window, the runs chart,
// what fails most and which triggers are not listening. Refreshed every 10 s.
import { useEffect, useState } from 'react';
import { Link, useRevalidator } from 'react-router';
import type { DashboardStats } from '../../../server/stats/dashboard.js';
import { milliseconds, when } from '../../format';
import { RunsChart } from './runs-chart';

const WINDOWS = ['1h', '6h', '24h', '7d'] as const;

function Figure({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <div className="min-w-0 rounded-lg border border-slate-200 bg-white p-4">
      <div className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</div>
      <div className="mt-1 text-2xl font-semibold">{value}</div>
      {hint ? <div className="text-xs text-slate-500">{hint}</div> : null}
    </div>
  );
}

export function Dashboard({ stats }: { stats: DashboardStats }) {
  const { revalidate } = useRevalidator();
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  useEffect(() => {
    const timer = setInterval(() => void revalidate(), 10_000);
    return () => clearInterval(timer);
  }, [revalidate]);
  const rate = stats.totals.success_rate;
  return (
    <section aria-label="Dashboard" className="mb-10">
      <div className="flex flex-wrap items-baseline gap-3">
        <h1 className="text-2xl font-semibold">Dashboard</h1>
        <nav aria-label="Window" className="ml-auto flex gap-1 text-sm">
          {WINDOWS.map((window) => (
            <Link
              key={window}
              to={`/?window=${window}`}
              aria-current={window === stats.window ? 'page' : undefined}
              className={`rounded-md px-2 py-1 ${window === stats.window ? 'bg-slate-800 text-white' : 'text-slate-600 hover:bg-slate-100'}`}
            >
              {window}
            </Link>
          ))}
        </nav>
      </div>
      <div className="mt-4 grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-6">
        <Figure label="Started" value={String(stats.totals.runs)} hint={`last ${stats.window}`} />
        <Figure label="Success rate" value={rate === null ? '-' : `${(rate * 100).toFixed(1)} %`} hint={`${stats.totals.failed} failed`} />
        <Figure label="Duration p50" value={stats.duration_ms.p50 === null ? '-' : milliseconds(stats.duration_ms.p50)} />
        <Figure label="Duration p95" value={stats.duration_ms.p95 === null ? '-' : milliseconds(stats.duration_ms.p95)} />
        <Figure
          label="Queued"
          value={String(stats.queue.queued)}
          hint={stats.queue.queued ? `oldest ${milliseconds(stats.queue.oldest_queued_seconds * 1000)}` : 'nothing waiting'}
        />
        <Figure label="Processes" value={String(stats.workers.start + stats.workers.worker)} hint={`${stats.workers.worker} worker-only`} />
      </div>
      <div className="mt-4 rounded-lg border border-slate-200 bg-white p-4">
        {mounted ? <RunsChart series={stats.series} bucketSeconds={stats.bucket_seconds} /> : <div className="h-[220px]" />}
      </div>
      <div className="mt-4 grid gap-4 lg:grid-cols-2">
        <div className="min-w-0 rounded-lg border border-slate-200 bg-white p-4">
          <h2 className="font-semibold">Failing most</h2>
          {stats.failing.length === 0 ? (
            <p className="mt-2 text-sm text-slate-600">Nothing failed in this window.</p>
          ) : (
            <ul className="mt-2 divide-y divide-slate-100 text-sm">
              {stats.failing.map((f) => (
                <li key={f.slug} className="py-2">
                  <div className="flex gap-2">
                    <Link to={`/workflows/${f.slug}`} className="font-medium text-brand-600 underline">
                      {f.name}
                    </Link>
                    <span className="ml-auto text-red-700">{f.failed} failed</span>
                  </div>
                  <div className="truncate text-xs text-slate-500" title={f.last_error ?? ''}>
                    {when(f.last_failed_at)}: {f.last_error ?? 'no message'}
                  </div>
                </li>
              ))}
            </ul>
          )}
        </div>
        <div className="min-w-0 rounded-lg border border-slate-200 bg-white p-4">
          <h2 className="font-semibold">Triggers not listening</h2>
          {stats.not_listening.length === 0 ? (
            <p className="mt-2 text-sm text-slate-600">Every enabled trigger is listening.</p>
          ) : (
            <ul className="mt-2 divide-y divide-slate-100 text-sm">
              {stats.not_listening.map((p) => (
                <li key={p.slug} className="py-2">
                  <Link to={`/workflows/${p.slug}`} className="font-medium text-brand-600 underline">
                    {p.name}
                  </Link>{' '}
                  <span className="text-slate-500">
                    ({p.trigger_type}, since {when(p.since)})
                  </span>
                  <div className="text-xs text-red-700">{p.message}</div>
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
    </section>
  );
}
