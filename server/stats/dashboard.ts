// The dashboard's numbers for one time window, read from Postgres: runs over time by
// status, success rate, run durations, the backlog, live workers, the workflows that
// fail most, and triggers that are not listening. Every query is bounded by the
// window (runs_history_idx) or reads small active sets, never the whole history.
import type pg from 'pg';

export const STATS_WINDOWS = { '1h': 3600, '6h': 6 * 3600, '24h': 24 * 3600, '7d': 7 * 24 * 3600 } as const;
export type StatsWindow = keyof typeof STATS_WINDOWS;
/** Buckets per chart: enough to see a spike, few enough to draw. */
const BUCKETS = 60;
const LIVE_WORKER_SECONDS = 30;
const STATUSES = ['succeeded', 'failed', 'cancelled', 'running', 'waiting', 'queued'] as const;

export interface DashboardStats {
  window: StatsWindow;
  from: string;
  bucket_seconds: number;
  /** One entry per bucket start (ISO), counts by status. */
  series: { at: string; counts: Record<(typeof STATUSES)[number], number> }[];
  totals: { runs: number; succeeded: number; failed: number; success_rate: number | null };
  duration_ms: { p50: number | null; p95: number | null };
  queue: { queued: number; oldest_queued_seconds: number };
  workers: { start: number; worker: number };
  failing: { slug: string; name: string; failed: number; last_error: string | null; last_failed_at: string }[];
  not_listening: { slug: string; name: string; trigger_type: string; message: string; since: string }[];
}

export function isStatsWindow(value: string): value is StatsWindow {
  return Object.hasOwn(STATS_WINDOWS, value);
}

export async function dashboardStats(pool: pg.Pool, window: StatsWindow, now = new Date()): Promise<DashboardStats> {
  const seconds = STATS_WINDOWS[window];
  const bucket = Math.ceil(seconds / BUCKETS);
  // Buckets are aligned to the bucket size so a refresh does not shift every bar.
  const from = new Date(Math.floor((now.getTime() - seconds * 1000) / (bucket * 1000)) * bucket * 1000);
  const [series, durations, queue, workers, failing, problems] = await Promise.all([
    pool.query<{ at: Date; status: string; n: number }>(
      `select date_bin(make_interval(secs => $2), created_at, $1) as at, status, count(*)::int as n
         from khaosflow.runs where created_at >= $1 group by 1, 2 order by 1`,
      [from, bucket],
    ),
    pool.query<{ p50: number | null; p95: number | null }>(
      `select percentile_cont(0.5) within group (order by ms) as p50, percentile_cont(0.95) within group (order by ms) as p95
         from (select extract(epoch from finished_at - coalesce(started_at, created_at)) * 1000 as ms
                 from khaosflow.runs where created_at >= $1 and finished_at is not null) d`,
      [from],
    ),
    pool.query<{ queued: number; oldest: number | null }>(
      `select count(*)::int as queued, extract(epoch from now() - min(created_at))::float8 as oldest from khaosflow.runs where status = 'queued'`,
    ),
    pool.query<{ kind: string; n: number }>(
      `select kind, count(*)::int as n from khaosflow.workers where heartbeat_at > now() - make_interval(secs => $1) group by kind`,
      [LIVE_WORKER_SECONDS],
    ),
    // Test runs from the editor fail while a workflow is being built: they are not the workflow failing.
    pool.query<{ slug: string; name: string; failed: number; last_error: string | null; last_failed_at: Date }>(
      `select w.slug, w.name, f.failed, f.last_failed_at,
              (select r.error->>'message' from khaosflow.runs r
                where r.workflow_id = w.id and r.status = 'failed' and r.created_at >= $1 and r.trigger_kind <> 'test'
                order by r.created_at desc limit 1) as last_error
         from (select workflow_id, count(*)::int as failed, max(created_at) as last_failed_at
                 from khaosflow.runs where created_at >= $1 and status = 'failed' and trigger_kind <> 'test' group by workflow_id
                 order by 2 desc limit 5) f
         join khaosflow.workflows w on w.id = f.workflow_id
        order by f.failed desc, w.slug`,
      [from],
    ),
    pool.query<{ slug: string; name: string; trigger_type: string; message: string; since: Date }>(
      `select w.slug, w.name, p.trigger_type, p.message, p.since
         from khaosflow.trigger_problems p join khaosflow.workflows w on w.id = p.workflow_id
        where w.enabled order by p.since`,
    ),
  ]);

  const buckets = new Map<number, DashboardStats['series'][number]>();
  for (let t = from.getTime(); t <= now.getTime(); t += bucket * 1000) {
    buckets.set(t, {
      at: new Date(t).toISOString(),
      counts: Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<(typeof STATUSES)[number], number>,
    });
  }
  let runs = 0;
  let succeeded = 0;
  let failed = 0;
  for (const row of series.rows) {
    const entry = buckets.get(row.at.getTime());
    if (entry && (STATUSES as readonly string[]).includes(row.status)) entry.counts[row.status as (typeof STATUSES)[number]] += row.n;
    runs += row.n;
    if (row.status === 'succeeded') succeeded += row.n;
    if (row.status === 'failed') failed += row.n;
  }
  const alive = new Map(workers.rows.map((r) => [r.kind, r.n]));
  const round = (value: number | null | undefined) => (value === null || value === undefined ? null : Math.round(value));
  return {
    window,
    from: from.toISOString(),
    bucket_seconds: bucket,
    series: [...buckets.values()],
    totals: { runs, succeeded, failed, success_rate: succeeded + failed === 0 ? null : succeeded / (succeeded + failed) },
    duration_ms: { p50: round(durations.rows[0]?.p50), p95: round(durations.rows[0]?.p95) },
    queue: { queued: queue.rows[0]?.queued ?? 0, oldest_queued_seconds: Math.max(0, Math.round(queue.rows[0]?.oldest ?? 0)) },
    workers: { start: alive.get('start') ?? 0, worker: alive.get('worker') ?? 0 },
    failing: failing.rows.map((r) => ({ ...r, last_failed_at: r.last_failed_at.toISOString() })),
    not_listening: problems.rows.map((r) => ({ ...r, since: r.since.toISOString() })),
  };
}
