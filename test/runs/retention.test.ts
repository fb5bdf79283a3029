// KHAOSFLOW_RETENTION_DAYS: finished runs older than the period go, with their steps, in
// small batches; recent runs, unfinished runs and runs an unfinished run still depends
// on stay; unset or 0 keeps everything.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRetentionDaysFrom, sweepRuns } from '../../server/runs/retention.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { applyYaml } from '../triggers/helpers.js';

let tdb: TestDatabase;
let workflowId: string;
const now = new Date('2026-06-30T12:00:00Z');
const daysAgo = (n: number) => new Date(now.getTime() - n * 24 * 60 * 60 * 1000);

beforeAll(async () => {
  tdb = await createTestDatabase();
  await applyYaml(tdb.db, 'name: Kept Or Not\nsteps:\n  - name: Say\n    action: { type: log, message: hi }\n');
  const { rows } = await tdb.pool.query<{ id: string }>("select id::text from khaosflow.workflows where slug = 'kept-or-not'");
  workflowId = rows[0]!.id;
});
afterAll(async () => {
  await tdb?.drop();
});

async function addRun(status: string, finishedAt: Date | null, links: { retryOf?: string; parent?: string } = {}): Promise<string> {
  const { rows } = await tdb.pool.query<{ id: string }>(
    `insert into khaosflow.runs (workflow_id, version, status, created_at, finished_at, retry_of, parent_run_id)
     values ($1, 1, $2, coalesce($3, now()), $3, $4, $5) returning id::text`,
    [workflowId, status, finishedAt, links.retryOf ?? null, links.parent ?? null],
  );
  const id = rows[0]!.id;
  await tdb.pool.query(
    `insert into khaosflow.step_runs (run_id, step_path, step_slug, step_name, action_type, status, started_at, finished_at)
     values ($1, 'steps[0]', 'say', 'Say', 'log', 'succeeded', coalesce($2, now()), $2)`,
    [id, finishedAt],
  );
  return id;
}

async function exists(id: string): Promise<{ run: boolean; steps: number }> {
  const run = await tdb.pool.query('select 1 from khaosflow.runs where id = $1', [id]);
  const steps = await tdb.pool.query('select 1 from khaosflow.step_runs where run_id = $1', [id]);
  return { run: run.rowCount === 1, steps: steps.rowCount ?? 0 };
}

describe('run retention', () => {
  it('reads KHAOSFLOW_RETENTION_DAYS, off when unset or 0, and refuses anything but whole days', () => {
    expect(runRetentionDaysFrom({})).toBe(0);
    expect(runRetentionDaysFrom({ KHAOSFLOW_RETENTION_DAYS: '0' })).toBe(0);
    expect(runRetentionDaysFrom({ KHAOSFLOW_RETENTION_DAYS: ' 30 ' })).toBe(30);
    expect(() => runRetentionDaysFrom({ KHAOSFLOW_RETENTION_DAYS: '1.5' })).toThrow(/whole number of days/);
    expect(() => runRetentionDaysFrom({ KHAOSFLOW_RETENTION_DAYS: '-1' })).toThrow(/KHAOSFLOW_RETENTION_DAYS/);
  });

  it('deletes old finished runs with their steps in batches and keeps everything else', async () => {
    const old = await Promise.all([
      addRun('succeeded', daysAgo(40)),
      addRun('failed', daysAgo(35)),
      addRun('cancelled', daysAgo(31)),
      addRun('succeeded', daysAgo(60)),
      addRun('succeeded', daysAgo(45)),
    ]);
    const recent = await addRun('failed', daysAgo(10));
    const unfinished = await addRun('waiting', null);
    // An old run that a waiting retry was made from (its outputs carry over) stays.
    const retriedFrom = await addRun('failed', daysAgo(50));
    const retry = await addRun('queued', null, { retryOf: retriedFrom });

    expect(await sweepRuns(tdb.pool, { days: 30, now: new Date(0) })).toBe(0); // nothing is 30 days older than 1970
    const deleted = await sweepRuns(tdb.pool, { days: 30, now, batch: 2 });

    expect(deleted).toBe(old.length);
    for (const id of old) expect(await exists(id)).toEqual({ run: false, steps: 0 });
    for (const id of [recent, unfinished, retriedFrom, retry]) expect((await exists(id)).run).toBe(true);
    expect(await exists(recent)).toEqual({ run: true, steps: 1 });
  });

  it('keeps everything when retention is off', async () => {
    const ancient = await addRun('succeeded', daysAgo(3650));
    expect(await sweepRuns(tdb.pool, { days: 0, now })).toBe(0);
    expect((await exists(ancient)).run).toBe(true);
  });
});
