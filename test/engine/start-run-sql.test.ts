// khaosflow.start_run enqueues in the caller's transaction: what is rolled back never
// runs, what is committed always does.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBench, type Bench } from '../helpers/engine.js';

let bench: Bench;
beforeAll(async () => {
  bench = await startBench({ concurrency: 10 });
});
afterAll(() => bench?.stop());

describe('khaosflow.start_run in user transactions', () => {
  it('runs exactly the 500 committed of 1,000 started runs', async () => {
    const { slug } = await bench.apply(`
name: From SQL
steps:
  - name: Echo
    action: { type: log, message: "n={{trigger.data.n}}" }
`);
    const client = new pg.Client({ connectionString: bench.tdb.url });
    await client.connect();
    const committed: string[] = [];
    const rolledBack: string[] = [];
    try {
      for (let n = 0; n < 1000; n++) {
        await client.query('begin');
        await client.query('create temp table if not exists user_work (n int) on commit drop');
        await client.query('insert into user_work values ($1)', [n]);
        const { rows } = await client.query<{ id: string }>('select khaosflow.start_run($1, jsonb_build_object($2::text, $3::int)) as id', [
          slug,
          'n',
          n,
        ]);
        if (n % 2 === 0) {
          await client.query('commit');
          committed.push(rows[0]!.id);
        } else {
          await client.query('rollback');
          rolledBack.push(rows[0]!.id);
        }
      }
    } finally {
      await client.end();
    }
    await expect
      .poll(
        async () => (await bench.services.pool.query("select count(*)::int as n from khaosflow.runs where status = 'succeeded'")).rows[0].n,
        { timeout: 60_000, interval: 100 },
      )
      .toBe(500);
    const { rows } = await bench.services.pool.query<{ id: string; n: number }>(
      "select id, (trigger_data->'data'->>'n')::int as n from khaosflow.runs",
    );
    expect(rows).toHaveLength(500);
    expect(new Set(rows.map((r) => r.id))).toEqual(new Set(committed));
    expect(rows.every((r) => r.n % 2 === 0)).toBe(true);
    // Graphile completes a job just after its run is marked succeeded (batched
    // completion), so the last job can still be there for a moment: wait for it.
    await expect
      .poll(async () => (await bench.services.pool.query('select count(*)::int as n from graphile_worker.jobs')).rows[0].n, {
        timeout: 10_000,
        interval: 50,
      })
      .toBe(0);
    expect(rolledBack).toHaveLength(500);
  });

  it('explains a missing or disabled workflow', async () => {
    await expect(bench.services.pool.query("select khaosflow.start_run('nope', '{}')")).rejects.toThrow('no workflow with slug "nope"');
    await bench.apply('name: Off\nsteps:\n  - name: X\n    action: { type: log, message: x }\n', { enabled: false });
    await expect(bench.services.pool.query("select khaosflow.start_run('off', '{}')")).rejects.toThrow('workflow "off" is disabled');
  });
});
