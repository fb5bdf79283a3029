// What the database says about a scenario: commits (pg_stat_database, Graphile's own
// included), write transactions (transaction ids assigned) and run counts. Counting in
// the database, not by HTTP answers, is what "durable runs completed" means.
import type pg from 'pg';

export interface Counters {
  commits: number;
  writes: number;
}

export async function counters(pool: pg.Pool): Promise<Counters> {
  const { rows } = await pool.query<{ commits: string; xid: string }>(
    `select (select xact_commit from pg_stat_database where datname = current_database())::text as commits,
            pg_current_xact_id()::text as xid`,
  );
  return { commits: Number(rows[0]!.commits), writes: Number(rows[0]!.xid) };
}

/** Runs of one workflow created since `since`, by status. */
export async function runCounts(pool: pg.Pool, slug: string, since: Date): Promise<Record<string, number>> {
  const { rows } = await pool.query<{ status: string; n: number }>(
    `select r.status, count(*)::int as n from khaosflow.runs r join khaosflow.workflows w on w.id = r.workflow_id
      where w.slug = $1 and r.created_at >= $2 group by r.status`,
    [slug, since],
  );
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

/** Runs of the workflow that finished inside [from, to). */
export async function finishedBetween(pool: pg.Pool, slug: string, from: Date, to: Date): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `select count(*)::int as n from khaosflow.runs r join khaosflow.workflows w on w.id = r.workflow_id
      where w.slug = $1 and r.finished_at >= $2 and r.finished_at < $3`,
    [slug, from, to],
  );
  return rows[0]!.n;
}

/** Runs not yet finished (the queue's depth), across all workflows. */
export async function queueDepth(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    "select count(*)::int as n from khaosflow.runs where status in ('queued', 'running', 'waiting')",
  );
  return rows[0]!.n;
}

/** Waits until no run is queued or running; returns the seconds it took. Bounded. */
export async function waitDrained(pool: pg.Pool, limitSeconds = 300): Promise<number> {
  const start = Date.now();
  while ((await queueDepth(pool)) > 0) {
    if (Date.now() - start > limitSeconds * 1000) throw new Error(`The queue did not drain within ${limitSeconds} s.`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return (Date.now() - start) / 1000;
}

/** Fills the history with `count` finished runs of a workflow of their own, in batches (S4). */
export async function fillHistory(pool: pg.Pool, count: number): Promise<void> {
  const { rows } = await pool.query<{ id: number; version: number }>(
    `insert into khaosflow.workflows (slug, name, enabled, current_version) values ('bench-history', 'Bench History', false, 1)
     on conflict (slug) do update set name = excluded.name returning id, current_version as version`,
  );
  const wf = rows[0]!;
  await pool.query(
    `insert into khaosflow.workflow_versions (workflow_id, version, source_yaml, definition)
     values ($1, 1, 'name: Bench History', '{"name":"Bench History","steps":[]}') on conflict do nothing`,
    [wf.id],
  );
  const batch = 100_000;
  for (let done = 0; done < count; done += batch) {
    const n = Math.min(batch, count - done);
    await pool.query(
      `insert into khaosflow.runs (workflow_id, version, trigger_kind, trigger_data, status, created_at, started_at, finished_at)
       select $1, 1, 'webhook', jsonb_build_object('data', jsonb_build_object('id', g)),
              case when g % 20 = 0 then 'failed' else 'succeeded' end,
              now() - make_interval(secs => g), now() - make_interval(secs => g), now() - make_interval(secs => g) + interval '3 ms'
         from generate_series($2::int, $3::int) g`,
      [wf.id, done + 1, done + n],
    );
  }
  // Indexed for search at once, as the server's singleton would over the minutes a
  // real history takes to grow, so S4 measures the load and not catching up on the fill.
  await pool.query('select khaosflow.index_run_search(null)');
  await pool.query('vacuum khaosflow.run_search_backlog');
  await pool.query('analyze khaosflow.runs');
}
