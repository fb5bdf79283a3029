// S1-S4 of the performance issue, through HTTP against a real `khaosflow start`:
//   S1 async webhook -> 3 steps at 50 connections: runs completed per second (counted
//      in the database), commits per run, nothing lost, the queue keeping pace;
//   S2 `respond: sync` answer latency at 1, 4 and 16 callers;
//   S3 per-step cost of a 100-step run and per-item cost of a 1,000-item loop;
//   S4 S1 again with 1,000,000 finished runs in history.
import type pg from 'pg';
import { counters, fillHistory, finishedBetween, queueDepth, runCounts, waitDrained } from './db-stats.js';
import { measureLatency } from './latency.js';
import { load } from './load.js';
import type { Metric } from './metric.js';
import { orderBody } from './workflows.js';

export interface ScenarioContext {
  baseUrl: string;
  pool: pg.Pool;
  seconds: number;
  /** CPU seconds the server process used so far: CPU per run is comparable on a busy machine, rates are not. */
  serverCpuSeconds(): number;
}

async function postJson(url: string, body: unknown): Promise<void> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status !== 202) throw new Error(`${url} answered ${res.status}: ${await res.text()}`);
}

/** One S1 measurement: load for `seconds`, then wait for the queue to drain. */
async function asyncThroughput(ctx: ScenarioContext, label: 'S1' | 'S4'): Promise<Metric[]> {
  const t0 = new Date();
  const before = await counters(ctx.pool);
  const cpuBefore = ctx.serverCpuSeconds();
  let maxDepth = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      maxDepth = Math.max(maxDepth, await queueDepth(ctx.pool));
      await new Promise((r) => setTimeout(r, 500));
    }
  })();
  const result = await load({ url: `${ctx.baseUrl}/hooks/bench/async`, connections: 50, seconds: ctx.seconds, body: orderBody(1) });
  const t1 = new Date();
  sampling = false;
  await sampler;
  const drainSeconds = await waitDrained(ctx.pool);
  const after = await counters(ctx.pool);
  const cpu = ctx.serverCpuSeconds() - cpuBefore;
  const runs = await runCounts(ctx.pool, 'bench-async', t0);
  const accepted = result.statuses['202'] ?? 0;
  const succeeded = runs.succeeded ?? 0;
  const created = Object.values(runs).reduce((a, b) => a + b, 0);
  const inWindow = await finishedBetween(ctx.pool, 'bench-async', t0, t1);
  const window = (t1.getTime() - t0.getTime()) / 1000;
  return [
    {
      scenario: label,
      name: 'runs completed per second during the load',
      value: inWindow / window,
      unit: 'runs/s',
      target: { at: 'least', value: 1500 },
    },
    { scenario: label, name: 'requests accepted per second (202)', value: accepted / window, unit: 'req/s' },
    {
      scenario: label,
      name: 'seconds to drain the queue after the load',
      value: drainSeconds,
      unit: 's',
      target: { at: 'most', value: 2 },
    },
    { scenario: label, name: 'largest queue depth seen (sampled every 0.5 s)', value: maxDepth, unit: 'runs' },
    {
      scenario: label,
      name: 'write commits per run (Graphile included)',
      value: (after.writes - before.writes) / succeeded,
      unit: 'commits',
      target: { at: 'most', value: 4 },
    },
    { scenario: label, name: 'server CPU per run (intake and execution)', value: (cpu * 1000) / succeeded, unit: 'ms' },
    {
      scenario: label,
      name: 'all transactions per run (read-only included)',
      value: (after.commits - before.commits) / succeeded,
      unit: 'xacts',
    },
    // autocannon stops counting answers at its deadline, so a few runs exist whose 202
    // it never counted: lost is "answered 202 but no run", never negative.
    {
      scenario: label,
      name: 'accepted runs lost (202 but no run)',
      value: Math.max(0, accepted - created),
      unit: 'runs',
      target: { at: 'most', value: 0 },
    },
    { scenario: label, name: 'runs that did not succeed', value: created - succeeded, unit: 'runs', target: { at: 'most', value: 0 } },
    { scenario: label, name: 'requests refused or failed (not 202)', value: result.requests - accepted + result.errors, unit: 'requests' },
    { scenario: label, name: 'webhook answer p50 at 50 connections', value: result.latencyP50, unit: 'ms' },
  ];
}

export async function s1(ctx: ScenarioContext): Promise<Metric[]> {
  return asyncThroughput(ctx, 'S1');
}

export async function s2(ctx: ScenarioContext): Promise<Metric[]> {
  const metrics: Metric[] = [];
  for (const callers of [1, 4, 16]) {
    const r = await measureLatency({
      url: `${ctx.baseUrl}/hooks/bench/sync`,
      callers,
      seconds: Math.max(3, ctx.seconds / 2),
      body: orderBody,
    });
    const s = callers === 1 ? '' : 's';
    metrics.push(
      { scenario: 'S2', name: `sync answer p50, ${callers} caller${s}`, value: r.p50, unit: 'ms', target: { at: 'most', value: 5 } },
      { scenario: 'S2', name: `sync answer p99, ${callers} caller${s}`, value: r.p99, unit: 'ms', target: { at: 'most', value: 20 } },
      {
        scenario: 'S2',
        name: `sync answers per second, ${callers} caller${s}`,
        value: r.count / Math.max(3, ctx.seconds / 2),
        unit: 'req/s',
      },
      {
        scenario: 'S2',
        name: `sync answers other than 200, ${callers} caller${s}`,
        value: r.failures,
        unit: 'requests',
        target: { at: 'most', value: 0 },
      },
    );
  }
  return metrics;
}

async function medianRunMs(pool: pg.Pool, slug: string, since: Date): Promise<number> {
  const { rows } = await pool.query<{ ms: number; failed: number }>(
    `select percentile_cont(0.5) within group (order by extract(epoch from r.finished_at - r.started_at) * 1000)::float8 as ms,
            count(*) filter (where r.status <> 'succeeded')::int as failed
       from khaosflow.runs r join khaosflow.workflows w on w.id = r.workflow_id where w.slug = $1 and r.created_at >= $2`,
    [slug, since],
  );
  if (rows[0]!.failed > 0) throw new Error(`${rows[0]!.failed} runs of ${slug} did not succeed; see khaosflow.run_overview.`);
  return rows[0]!.ms;
}

export async function s3(ctx: ScenarioContext): Promise<Metric[]> {
  const since = new Date();
  for (let i = 0; i < 5; i++) await postJson(`${ctx.baseUrl}/hooks/bench/chain`, { items: [{ n: 1 }, { n: 2 }] });
  for (let i = 0; i < 5; i++) await postJson(`${ctx.baseUrl}/hooks/bench/loop`, { items: Array.from({ length: 1000 }, (_, n) => ({ n })) });
  await waitDrained(ctx.pool);
  return [
    {
      scenario: 'S3',
      name: 'per step, one run of 100 transform steps',
      value: (await medianRunMs(ctx.pool, 'bench-chain', since)) / 100,
      unit: 'ms',
      target: { at: 'most', value: 1 },
    },
    {
      scenario: 'S3',
      name: 'per item, a loop over 1,000 items',
      value: (await medianRunMs(ctx.pool, 'bench-loop', since)) / 1000,
      unit: 'ms',
      target: { at: 'most', value: 0.2 },
    },
  ];
}

/** S1 with a million finished runs in history; the history is filled once per database. */
export async function s4(ctx: ScenarioContext, state: { filled?: boolean }): Promise<Metric[]> {
  if (!state.filled) {
    await fillHistory(ctx.pool, 1_000_000);
    state.filled = true;
  }
  return asyncThroughput(ctx, 'S4');
}
