// Run history at 1,000,000 runs: the run list and each filter of GET /api/runs
// (server/runs/history.ts), median of 5, against the 200 ms for 50 rows.
// The runs are made by one INSERT ... SELECT generate_series in a bench database of
// their own (bench/database.ts), so the numbers include the real indexes' upkeep.
import { sql } from 'kysely';
import { type RunListQuery, searchRuns } from '../server/runs/history.js';
import { benchDatabase } from './database.js';
import type { BenchResult } from './result.js';

const RUNS = Number(process.env.BENCH_HISTORY_RUNS ?? 1_000_000);
const WORKFLOWS = 20;
const REPEATS = 5;
const TARGET_MS = 200;

export async function benchHistory(): Promise<BenchResult[]> {
  const bench = await benchDatabase();
  const { db } = bench.handle;
  try {
    const started = performance.now();
    await sql`
      insert into khaosflow.workflows (slug, name, current_version)
      select 'workflow-' || i, 'Workflow ' || i, 1 from generate_series(1, ${WORKFLOWS}) as i`.execute(db);
    await sql`
      insert into khaosflow.workflow_versions (workflow_id, version, source_yaml, definition)
      select id, 1, 'name: ' || name, '{"steps": []}'::jsonb from khaosflow.workflows`.execute(db);
    // One run every 2 s going back ~23 days: 4% failed, 1% still queued, the rest
    // succeeded; half from webhooks, 30% schedules, 20% manual.
    await sql`
      insert into khaosflow.runs (workflow_id, version, status, trigger_kind, trigger_data, created_at, started_at, finished_at)
      select w.id, 1,
             case when i % 101 = 0 then 'queued' when i % 23 = 1 then 'failed' else 'succeeded' end,
             case when i % 10 < 5 then 'webhook' when i % 10 < 8 then 'schedule' else 'manual' end,
             jsonb_build_object('order', 'ord-' || i, 'customer', 'cust-' || (i % 50000), 'email', 'buyer' || (i % 50000) || '@shop.example'),
             t, t, case when i % 101 = 0 then null else t + interval '3 seconds' end
      from generate_series(1, ${RUNS}) as i
      cross join lateral (select now() - make_interval(secs => i * 2) as t) as at
      join khaosflow.workflows w on w.slug = 'workflow-' || (i % ${WORKFLOWS} + 1)`.execute(db);
    await sql`analyze khaosflow.runs`.execute(db);
    // As a running server's search index singleton would have (server/runs/search-index.ts).
    await sql`select khaosflow.index_run_search(null)`.execute(db);
    await sql`vacuum khaosflow.run_search_backlog`.execute(db);
    await sql`analyze khaosflow.run_search`.execute(db);
    await sql`analyze khaosflow.workflows`.execute(db);
    const seconds = (performance.now() - started) / 1000;

    const deps = { db };
    const day = 86_400_000;
    const first = await searchRuns(deps, {});
    const cases: Array<[string, RunListQuery]> = [
      ['run list (newest 50)', {}],
      ['next page (after cursor)', { after: first.next! }],
      ['workflow', { workflow: 'workflow-7' }],
      ['status=failed', { status: 'failed' }],
      ['status=queued', { status: 'queued' }],
      ['trigger=manual', { trigger: 'manual' }],
      [
        'since/until (one day, 10 days ago)',
        { since: new Date(Date.now() - 10 * day).toISOString(), until: new Date(Date.now() - 9 * day).toISOString() },
      ],
      ['q (one run: an order id)', { q: 'ord-123457' }],
      ['q (a customer, ~20 runs)', { q: 'buyer4242@' }],
      ['q (no match)', { q: 'nobody-at-all' }],
      ['workflow + status=failed', { workflow: 'workflow-7', status: 'failed' }],
      [
        'all filters',
        {
          workflow: 'workflow-3',
          status: 'succeeded',
          trigger: 'webhook',
          since: new Date(Date.now() - 20 * day).toISOString(),
          q: 'shop.example',
        },
      ],
    ];
    const results: BenchResult[] = [{ name: `${RUNS.toLocaleString('en-US')} runs inserted`, value: seconds, unit: 's' }];
    for (const [name, query] of cases) {
      const times: number[] = [];
      let rows = 0;
      for (let i = 0; i < REPEATS; i++) {
        const t = performance.now();
        rows = (await searchRuns(deps, query)).runs.length;
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      results.push({
        name: `${name} (${rows} rows)`,
        value: times[Math.floor(REPEATS / 2)]!,
        unit: 'ms',
        target: { at: 'most', value: TARGET_MS },
      });
    }
    return results;
  } finally {
    await bench.close();
  }
}
