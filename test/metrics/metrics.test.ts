// /metrics: Prometheus text with what this process's engine did (runs and step
// attempts, by outcome) and the cluster's backlog read from Postgres.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../server/api-keys/store.js';
import { startBench, type Bench } from '../helpers/engine.js';
import { startTestNode } from '../helpers/node.js';
import { registerTestActions } from '../helpers/test-actions.js';

let bench: Bench;
let key: string;
beforeAll(async () => {
  registerTestActions();
  bench = await startBench({ http: true });
  key = (await createApiKey(bench.tdb.db, { scopes: ['read'] })).key;
});
afterAll(() => bench?.stop());

/** `name{a="b"} 3` lines -> Map of `name{a="b"}` to 3 (labels kept in exposition order). */
function parseMetrics(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

async function scrape(baseUrl = bench.node.baseUrl, auth: string | null = key): Promise<Map<string, number>> {
  const res = await fetch(`${baseUrl}/metrics`, { headers: auth ? { authorization: `Bearer ${auth}` } : {} });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseMetrics(await res.text());
}

describe('/metrics', () => {
  it('refuses a scrape without a read API key, saying how to send one', async () => {
    const res = await fetch(`${bench.node.baseUrl}/metrics`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('counts runs and step attempts this process ended, by outcome', async () => {
    const before = await scrape();
    expect(before.get('khaosflow_runs_finished_total{status="succeeded"}')).toBe(0);
    expect(before.get('khaosflow_runs_finished_total{status="failed"}')).toBe(0);

    const ok = await bench.apply('name: Metrics Ok\nsteps:\n  - name: Say\n    action: { type: log, message: hi }\n');
    const bad = await bench.apply('name: Metrics Bad\nsteps:\n  - name: Break\n    action: { type: test_fail, times: 9, kind: fatal }\n');
    const ids = [await bench.start(ok.slug), await bench.start(ok.slug), await bench.start(bad.slug)];
    const statuses = await Promise.all(ids.map(async (id) => (await bench.waitFor(id)).status));
    expect(statuses).toEqual(['succeeded', 'succeeded', 'failed']);

    const after = await scrape();
    expect(after.get('khaosflow_runs_finished_total{status="succeeded"}')).toBe(2);
    expect(after.get('khaosflow_runs_finished_total{status="failed"}')).toBe(1);
    expect(after.get('khaosflow_run_duration_seconds_count{status="succeeded"}')).toBe(2);
    expect(after.get('khaosflow_step_attempts_total{action="log",status="succeeded"}')).toBe(2);
    expect(after.get('khaosflow_step_attempts_total{action="test_fail",status="failed"}')).toBe(1);
    expect(after.get('khaosflow_step_duration_seconds_count{action="log"}')).toBe(2);
    // Node's own process metrics come along.
    expect(after.get('process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('shows the cluster backlog: active runs by status and live workers', async () => {
    const parked = await bench.apply('name: Metrics Parked\nsteps:\n  - name: Later\n    action: { type: delay, duration: 1h }\n');
    const id = await bench.start(parked.slug);
    await bench.waitFor(id, ['waiting']);
    const m = await scrape();
    expect(m.get('khaosflow_runs_active{status="waiting"}')).toBe(1);
    expect(m.get('khaosflow_runs_active{status="running"}')).toBe(0);
    expect(m.get('khaosflow_runs_due_oldest_age_seconds')).toBe(0);
    expect(m.get('khaosflow_workers_alive{kind="start"}')).toBe(1);
    expect(m.has('khaosflow_jobs_ready')).toBe(true);
  });

  it('is served by a worker process on its --metrics-port, with the runs that worker ended', async () => {
    const worker = await startTestNode({ databaseUrl: bench.tdb.url, http: false, worker: true, singletons: false, metricsPort: true });
    try {
      const health = await fetch(`${worker.baseUrl}/healthz`);
      expect(health.status).toBe(200);
      // The worker announces itself just after it starts serving: wait for the announcement.
      await expect
        .poll(async () => (await scrape(worker.baseUrl)).get('khaosflow_workers_alive{kind="worker"}'), { timeout: 20_000 })
        .toBe(1);
      expect((await scrape(worker.baseUrl)).get('khaosflow_workers_alive{kind="start"}')).toBe(1);
      // Only /healthz and /metrics: no API, no console.
      expect((await fetch(`${worker.baseUrl}/api/runs`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(404);
    } finally {
      await worker.stop();
    }
  });

  it('opens without a key when KHAOSFLOW_METRICS_PUBLIC=true', async () => {
    const open = await startTestNode({
      databaseUrl: bench.tdb.url,
      worker: false,
      singletons: false,
      env: { KHAOSFLOW_METRICS_PUBLIC: 'true' },
    });
    try {
      const m = await scrape(open.baseUrl, null);
      expect(m.get('khaosflow_runs_active{status="waiting"}')).toBe(1);
    } finally {
      await open.stop();
    }
  });
});
