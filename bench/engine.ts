// Engine throughput: a 3-step workflow (pure steps) started N times as fast as a few
// producers can, executed by one in-process worker. Reports runs/s, commits per run
// (from pg_stat_database, Graphile's own commits included) and start-to-finish
// latency at one run in flight.
import { pathToFileURL } from 'node:url';
import { applyWorkflow } from '../db/queries/workflow-store.js';
import { triggerRun } from '../server/queue/enqueue-run.js';
import { loadConfig } from '../server/config.js';
import { Lifecycle } from '../server/lifecycle.js';
import { createLogger } from '../server/logger.js';
import { startNode } from '../server/node.js';
import { parseWorkflow } from '../server/workflow/index.js';
import { benchDatabase } from './database.js';
import type { BenchResult } from './result.js';

const WORKFLOW = `
name: Bench Three Steps
steps:
  - name: Pick
    action: { type: transform, operation: filter, input: "{{trigger.data.items}}", condition: "price > 10" }
  - name: Total
    action: { type: transform, operation: aggregate, input: "{{steps.pick.result}}", aggregations: { total: "sum(price)" } }
  - name: Shape
    action: { type: transform, operation: map, input: "{{steps.total.result}}", transform: "{ 'total': total, 'order': $$.trigger.data.id }" }
`;

/** Transactions committed (read-only ones included) and transaction ids assigned (= write transactions). */
async function counters(pool: import('pg').Pool): Promise<{ commits: number; writes: number }> {
  const { rows } = await pool.query<{ commits: string; xid: string }>(
    'select (select xact_commit from pg_stat_database where datname = current_database())::text as commits, pg_current_xact_id()::text as xid',
  );
  return { commits: Number(rows[0]!.commits), writes: Number(rows[0]!.xid) };
}

async function waitAllFinished(pool: import('pg').Pool, total: number): Promise<void> {
  for (;;) {
    const { rows } = await pool.query<{ n: number }>(
      "select count(*)::int as n from khaosflow.runs where status in ('succeeded','failed')",
    );
    if (rows[0]!.n >= total) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function benchEngine(): Promise<BenchResult[]> {
  const runs = Number(process.env.BENCH_RUNS ?? 5000);
  const producers = Number(process.env.BENCH_PRODUCERS ?? 8);
  const db = await benchDatabase();
  const logger = createLogger({ level: 'silent' });
  const lifecycle = new Lifecycle(logger);
  const results: BenchResult[] = [];
  try {
    const parsed = parseWorkflow(WORKFLOW);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    await applyWorkflow(db.handle.db, { definition: parsed.workflow, source: WORKFLOW });
    const config = {
      ...loadConfig({ ...process.env, DATABASE_URL: db.url, KHAOSFLOW_CONCURRENCY: process.env.BENCH_CONCURRENCY ?? '16' }),
      port: 0,
    };
    await startNode({ config, logger, http: false, worker: true, singletons: false }, lifecycle);
    const pool = db.handle.pool;
    const data = (i: number) => ({ data: { id: i, items: [{ price: 5 }, { price: 20 }, { price: 30 }] } });

    // Warm-up: prepared statements, definition cache, JIT.
    for (let i = 0; i < 200; i++) await triggerRun(pool, 'bench-three-steps', 'bench', data(i));
    await waitAllFinished(pool, 200);

    const before = await counters(pool);
    const started = process.hrtime.bigint();
    let next = 0;
    await Promise.all(
      Array.from({ length: producers }, async () => {
        while (next < runs) {
          const i = next++;
          await triggerRun(pool, 'bench-three-steps', 'bench', data(i));
        }
      }),
    );
    await waitAllFinished(pool, runs + 200);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const after = await counters(pool);
    results.push({ name: `3-step runs/s (${runs} runs, ${producers} producers, ${db.describe})`, value: runs / seconds, unit: 'runs/s' });
    // Write transactions are what costs a WAL flush; the read-only ones (reading the
    // run, our own polling) are counted separately.
    results.push({
      name: 'write commits per run (incl. Graphile job fetch/complete)',
      value: (after.writes - before.writes) / runs,
      unit: 'commits',
    });
    results.push({ name: 'all transactions per run (incl. read-only)', value: (after.commits - before.commits) / runs, unit: 'commits' });

    // Latency at one run in flight: enqueue, wait for the finish, repeat.
    const latencies: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t0 = process.hrtime.bigint();
      const id = await triggerRun(pool, 'bench-three-steps', 'bench', data(i));
      for (;;) {
        const { rows } = await pool.query<{ status: string }>('select status from khaosflow.runs where id = $1', [id]);
        if (rows[0]!.status === 'succeeded') break;
      }
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    latencies.sort((a, b) => a - b);
    results.push({ name: 'enqueue -> finished p50 at 1 in flight', value: latencies[Math.floor(latencies.length / 2)]!, unit: 'ms' });
    results.push({ name: 'enqueue -> finished p95 at 1 in flight', value: latencies[Math.floor(latencies.length * 0.95)]!, unit: 'ms' });
    const hist = await pool.query<{ avg: number }>(
      "select avg(extract(epoch from finished_at - created_at) * 1000)::float8 as avg from khaosflow.runs where status = 'succeeded'",
    );
    results.push({ name: 'created -> finished mean over all runs (DB clock)', value: hist.rows[0]!.avg, unit: 'ms' });
  } finally {
    await lifecycle.shutdown('bench done');
    await db.close();
  }
  return results;
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) {
  for (const r of await benchEngine()) console.log(`${r.name.padEnd(64)} ${r.value.toFixed(2).padStart(12)} ${r.unit}`);
}
