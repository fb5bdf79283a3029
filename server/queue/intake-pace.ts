// Intake keeps pace with execution. Accepting a webhook is one batched insert; running
// it is its steps, so under a flood requests are accepted faster than runs finish, and
// the queue grows for as long as the flood lasts (bench S4: 2,500 accepted and 1,640
// finished per second, 8,400 runs queued, 3 s to drain after the load). So while more
// than `limit` runs wait ready in the queue, the next intake batch waits, and its
// requests are answered later: callers slow down to the speed runs finish at, and the
// CPU the extra intake took goes to the runs. A batch never waits longer than
// `maxWaitMs`: with no worker running the queue never shrinks, and a request is
// accepted late rather than refused.
import type pg from 'pg';

export interface IntakePace {
  /** Resolves when the queue is short enough for another batch (or the wait is over). */
  admit(): Promise<void>;
  readonly stats: { waits: number };
}

// Counts at most limit + 1 rows: the answer is only "over the limit or not".
const DEPTH_SQL = `select count(*)::int as n from (
  select 1 from graphile_worker._private_jobs
   where locked_at is null and attempts < max_attempts and run_at <= now()
   limit $1 + 1) ready`;

export function createIntakePace(pool: pg.Pool, opts: { limit: number; sampleEveryMs?: number; maxWaitMs?: number }): IntakePace {
  const sampleEveryMs = opts.sampleEveryMs ?? 100;
  const maxWaitMs = opts.maxWaitMs ?? 2_000;
  const stats = { waits: 0 };
  let depth = 0;
  let sampledAt = 0;
  let sampling: Promise<void> | null = null;

  // A failed sample keeps the last depth: the intake itself reports database trouble.
  const sample = (): Promise<void> =>
    (sampling ??= pool
      .query<{ n: number }>({ name: 'kf_intake_depth', text: DEPTH_SQL, values: [opts.limit] })
      .then(
        (r) => {
          depth = r.rows[0]?.n ?? 0;
          sampledAt = Date.now();
        },
        () => undefined,
      )
      .finally(() => {
        sampling = null;
      }));

  return {
    stats,
    async admit() {
      if (opts.limit <= 0) return;
      // The first batch asks; under load the depth is then refreshed in the background,
      // and an idle intake asks nothing.
      if (sampledAt === 0) await sample();
      else if (Date.now() - sampledAt >= sampleEveryMs) void sample();
      if (depth <= opts.limit) return;
      stats.waits++;
      const until = Date.now() + maxWaitMs;
      while (depth > opts.limit && Date.now() < until) {
        await new Promise((resolve) => setTimeout(resolve, sampleEveryMs));
        await sample();
      }
    },
  };
}
