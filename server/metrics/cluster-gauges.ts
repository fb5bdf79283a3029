// Cluster-wide state read from Postgres at scrape time, so any one process's
// /metrics shows the whole cluster's backlog whatever process runs the work. Each
// query reads only small, indexed sets (active runs via runs_active_idx, ready jobs,
// live workers), never the run history.
import type pg from 'pg';
import { Gauge, type Registry } from 'prom-client';

const ACTIVE_STATUSES = ['queued', 'running', 'waiting'] as const;
/** A worker whose heartbeat is older than this is counted as gone (heartbeat.ts marks it stale at 20 s). */
const LIVE_WORKER_SECONDS = 30;

export function clusterGauges(registry: Registry, pool: pg.Pool): void {
  new Gauge({
    name: 'khaosflow_runs_active',
    help: 'Runs not yet ended, by status, across the cluster.',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      const { rows } = await pool.query<{ status: string; n: number }>({
        name: 'kf_metrics_active_runs',
        text: `select status, count(*)::int as n from khaosflow.runs where status = any($1::text[]) group by status`,
        values: [ACTIVE_STATUSES],
      });
      const counts = new Map(rows.map((r) => [r.status, r.n]));
      for (const status of ACTIVE_STATUSES) this.set({ status }, counts.get(status) ?? 0);
    },
  });
  new Gauge({
    name: 'khaosflow_runs_due_oldest_age_seconds',
    help: 'Age of the oldest queued run, in seconds (0 when none): how far behind the workers are.',
    registers: [registry],
    async collect() {
      const { rows } = await pool.query<{ age: number | null }>({
        name: 'kf_metrics_oldest_queued',
        text: `select extract(epoch from now() - min(created_at))::float8 as age from khaosflow.runs where status = 'queued'`,
      });
      this.set(Math.max(0, rows[0]?.age ?? 0));
    },
  });
  new Gauge({
    name: 'khaosflow_jobs_ready',
    help: 'Graphile Worker jobs due and not taken by any worker.',
    registers: [registry],
    async collect() {
      const { rows } = await pool.query<{ n: number }>({
        name: 'kf_metrics_jobs_ready',
        text: `select count(*)::int as n from graphile_worker.jobs where locked_at is null and run_at <= now() and attempts < max_attempts`,
      });
      this.set(rows[0]?.n ?? 0);
    },
  });
  new Gauge({
    name: 'khaosflow_workers_alive',
    help: `KhaosFlow processes with a heartbeat in the last ${LIVE_WORKER_SECONDS} s, by kind (start, worker).`,
    labelNames: ['kind'],
    registers: [registry],
    async collect() {
      const { rows } = await pool.query<{ kind: string; n: number }>({
        name: 'kf_metrics_workers',
        text: `select kind, count(*)::int as n from khaosflow.workers where heartbeat_at > now() - make_interval(secs => $1) group by kind`,
        values: [LIVE_WORKER_SECONDS],
      });
      this.reset();
      for (const kind of ['start', 'worker']) this.set({ kind }, 0);
      for (const r of rows) this.set({ kind: r.kind }, r.n);
    },
  });
}
