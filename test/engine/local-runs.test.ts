// Synchronous webhooks run in the process that accepted them (server/engine/local-runs.ts):
// the run's job is made locked by that process's local runner in the intake commit, so
// no worker takes it while it runs there, and it ends with the run's finish. A job a
// local runner locked and never finished (its process died) goes back to the queue.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { startTestNode, type TestNode } from '../helpers/node.js';
import { gate, inside, registerTestActions } from '../helpers/test-actions.js';
import { applyYaml, tempDir } from '../triggers/helpers.js';

let tdb: TestDatabase;
let node: TestNode;
beforeAll(async () => {
  registerTestActions();
  tdb = await createTestDatabase();
  node = await startTestNode({
    databaseUrl: tdb.url,
    http: true,
    worker: true,
    singletons: false,
    env: { KHAOSFLOW_HOME: tempDir('kf-local-') },
  });
});
afterAll(async () => {
  await node?.stop();
  await tdb?.drop();
});

const workflow = (name: string, path: string, respond: string, gateName: string) => `
name: ${name}
trigger: { type: webhook, path: ${path}${respond} }
steps:
  - name: Hold
    action: { type: test_block, gate: ${gateName}, value: "{{trigger.data.n}}" }
`;

interface JobRow {
  locked_by: string | null;
  attempts: number;
}
async function jobOf(runId: string): Promise<JobRow | undefined> {
  const { rows } = await tdb.pool.query<JobRow>('select locked_by, attempts from graphile_worker.jobs where key = $1', [`run:${runId}`]);
  return rows[0];
}
async function runIdWhileInside(gateName: string, slug: string): Promise<string> {
  await expect.poll(() => inside.get(gateName) ?? 0).toBe(1);
  const { rows } = await tdb.pool.query<{ id: string }>(
    'select r.id from khaosflow.runs r join khaosflow.workflows w on w.id = r.workflow_id where w.slug = $1',
    [slug],
  );
  expect(rows).toHaveLength(1);
  return rows[0]!.id;
}

describe('runs executed where they were accepted', () => {
  it('a sync webhook run holds its job under the local runner, not a worker pool, and completes it', async () => {
    await applyYaml(tdb.db, workflow('Local Sync', '/local-sync', ', respond: sync', 'local-sync'));
    const answer = fetch(`${node.baseUrl}/hooks/local-sync`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ n: 7 }),
    });
    const runId = await runIdWhileInside('local-sync', 'local-sync');
    const job = await jobOf(runId);
    // Locked in the intake commit: Graphile's get_jobs never took it (attempts stays 0).
    expect(job).toMatchObject({ attempts: 0 });
    expect(job?.locked_by).toMatch(/^khaosflow-local-/);
    // The heartbeat names the local runner, so no other process releases its lock.
    const { rows } = await tdb.pool.query<{ ids: string[] }>('select graphile_worker_ids as ids from khaosflow.workers');
    expect(rows.flatMap((r) => r.ids)).toContain(job!.locked_by);

    gate('local-sync').release();
    const res = await answer;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ value: 7 });
    // Gone with the commit that finished the run (sql/000025), before the answer.
    expect(await jobOf(runId)).toBeUndefined();
  });

  it('an async webhook run is left to the worker pools', async () => {
    await applyYaml(tdb.db, workflow('Queued Async', '/queued-async', '', 'queued-async'));
    const res = await fetch(`${node.baseUrl}/hooks/queued-async`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ n: 1 }),
    });
    expect(res.status).toBe(202);
    const runId = await runIdWhileInside('queued-async', 'queued-async');
    const job = await jobOf(runId);
    expect(job?.locked_by).not.toMatch(/^khaosflow-local-/);
    expect(job?.attempts).toBe(1);
    gate('queued-async').release();
    await expect.poll(() => jobOf(runId)).toBeUndefined();
  });

  it('a run whose local runner died is released by the heartbeat and finished by a worker', async () => {
    await applyYaml(tdb.db, workflow('Orphaned Sync', '/orphaned-sync', ', respond: sync', 'orphaned-sync'));
    gate('orphaned-sync').release();
    // Accepted by a process that then died: its runner's id is in no heartbeat.
    const { rows } = await tdb.pool.query<{ run_id: string; job_id: string }>(
      `select run_id, job_id from khaosflow.trigger_runs(array['orphaned-sync'], array['webhook'], array['{"data": {"n": 3}}'::jsonb], array[null], array['khaosflow-local-gone'])`,
    );
    const { run_id: runId, job_id: jobId } = rows[0]!;
    expect(jobId).not.toBeNull();
    expect(await jobOf(runId)).toMatchObject({ locked_by: 'khaosflow-local-gone', attempts: 0 });
    // Its lock is older than the stale window (the heartbeat releases nothing younger).
    await tdb.pool.query("update graphile_worker._private_jobs set locked_at = now() - interval '1 minute' where id = $1", [jobId]);
    await expect
      .poll(async () => (await tdb.pool.query('select status, output from khaosflow.runs where id = $1', [runId])).rows[0], {
        timeout: 30_000,
        interval: 200,
      })
      .toEqual({ status: 'succeeded', output: { value: 3 } });
  });
});
