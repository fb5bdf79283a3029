// Webhook load for the fault tests: many POSTs at a fixed concurrency, every answer
// kept (status, time to answer, Retry-After), and the checks every fault test makes on
// the runs it got a 202 for.
import type pg from 'pg';

export interface WebhookAnswer {
  status: number;
  /** Milliseconds from sending to the complete answer. */
  ms: number;
  runId: string | null;
  retryAfter: string | null;
  /** Network error instead of an answer (connection refused, reset). */
  error: string | null;
}

export interface LoadOptions {
  url: string;
  /** Stops after this many requests, or when `stop()` says so. */
  total?: number;
  concurrency: number;
  body: (i: number) => unknown;
  stop?: () => boolean;
  /** Abort a request that has no answer after this long (counted as a hang). */
  timeoutMs?: number;
}

/** Sends webhooks until `total` were sent (or `stop()`); resolves with every answer. */
export async function sendWebhooks(opts: LoadOptions): Promise<WebhookAnswer[]> {
  const answers: WebhookAnswer[] = [];
  let next = 0;
  const more = () => (opts.total === undefined || next < opts.total) && !(opts.stop?.() ?? false);
  const one = async (i: number): Promise<WebhookAnswer> => {
    const started = performance.now();
    try {
      const res = await fetch(opts.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(opts.body(i)),
        signal: AbortSignal.timeout(opts.timeoutMs ?? 60_000),
      });
      const text = await res.text();
      let runId: string | null = null;
      if (res.status === 202) runId = (JSON.parse(text) as { run_id: string }).run_id;
      return { status: res.status, ms: performance.now() - started, runId, retryAfter: res.headers.get('retry-after'), error: null };
    } catch (err) {
      return { status: 0, ms: performance.now() - started, runId: null, retryAfter: null, error: String((err as Error).cause ?? err) };
    }
  };
  const lane = async () => {
    while (more()) {
      const i = next++;
      answers.push(await one(i));
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, lane));
  return answers;
}

export function acceptedRunIds(answers: WebhookAnswer[]): string[] {
  return answers.filter((a) => a.runId).map((a) => a.runId!);
}

/** Counts of the given runs by status. */
export async function statusesOf(pool: pg.Pool, runIds: string[]): Promise<Record<string, number>> {
  const { rows } = await pool.query<{ status: string; n: number }>(
    'select status, count(*)::int as n from khaosflow.runs where id = any($1::uuid[]) group by status',
    [runIds],
  );
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

/** Resolves once none of `runIds` is queued, running or waiting; throws with the counts at the deadline. */
export async function waitUntilFinished(pool: pg.Pool, runIds: string[], timeoutMs: number): Promise<Record<string, number>> {
  const deadline = Date.now() + timeoutMs;
  let counts: Record<string, number> = {};
  while (Date.now() < deadline) {
    counts = await statusesOf(pool, runIds);
    if (!counts.queued && !counts.running && !counts.waiting) return counts;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`Runs still unfinished after ${timeoutMs / 1000} s: ${JSON.stringify(counts)}\n${await whereStuck(pool, runIds)}`);
}

/** For a timeout message: the Graphile jobs of a few unfinished runs and the heartbeat rows, to tell a lost lock from a slow queue. */
async function whereStuck(pool: pg.Pool, runIds: string[]): Promise<string> {
  const jobs = await pool.query(
    `select r.id as run_id, r.status, j.locked_by, j.locked_at, j.run_at, j.attempts, j.last_error
       from khaosflow.runs r left join graphile_worker.jobs j on j.key = 'run:' || r.id
      where r.id = any($1::uuid[]) and r.status in ('queued', 'running', 'waiting') limit 5`,
    [runIds],
  );
  const workers = await pool.query('select id, pid, kind, graphile_worker_ids, heartbeat_at, now() as now from khaosflow.workers');
  return `jobs of unfinished runs: ${JSON.stringify(jobs.rows)}\nheartbeats: ${JSON.stringify(workers.rows)}`;
}

/** Runs with the same step succeeded more than once: a completed step repeated. */
export async function repeatedSteps(pool: pg.Pool, runIds: string[]): Promise<{ run_id: string; step_path: string; n: number }[]> {
  const { rows } = await pool.query<{ run_id: string; step_path: string; n: number }>(
    `select run_id, step_path, count(*)::int as n from khaosflow.step_runs
      where run_id = any($1::uuid[]) and status = 'succeeded'
      group by run_id, step_path having count(*) > 1 limit 20`,
    [runIds],
  );
  return rows;
}

/** Graphile jobs still locked (by a worker that is gone, when nothing is running), with what a failure message needs. */
export async function lockedJobs(pool: pg.Pool): Promise<Record<string, unknown>[]> {
  const { rows } = await pool.query(
    `select j.id, j.task_identifier, j.key, j.locked_by, round(extract(epoch from now() - j.locked_at)::numeric, 1) as locked_seconds,
            j.attempts, r.status as run_status,
            exists (select 1 from khaosflow.workers w where j.locked_by = any(w.graphile_worker_ids)) as holder_heartbeats
       from graphile_worker.jobs j left join khaosflow.runs r on j.key = 'run:' || r.id
      where j.locked_at is not null limit 20`,
  );
  return rows;
}

/** Failed runs with their errors, for the failure message. */
export async function failedRuns(pool: pg.Pool, runIds: string[]): Promise<{ id: string; error: unknown }[]> {
  const { rows } = await pool.query<{ id: string; error: unknown }>(
    "select id, error from khaosflow.runs where id = any($1::uuid[]) and status <> 'succeeded' limit 5",
    [runIds],
  );
  return rows;
}
