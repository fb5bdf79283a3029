// Cancelling, retrying finished runs, version pinning, concurrency limits, serial queues.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelRun, retryRun } from '../../db/queries/runs.js';
import { startBench, stepsByName, type Bench } from '../helpers/engine.js';
import { createLedger, gate, inside, maxInside, registerTestActions } from '../helpers/test-actions.js';

let bench: Bench;
beforeAll(async () => {
  registerTestActions();
  bench = await startBench({ concurrency: 6 });
  await createLedger(bench.services.pool);
});
afterAll(() => bench?.stop());

async function ledger(runId: string): Promise<string[]> {
  const { rows } = await bench.services.pool.query<{ entry: string }>(
    'select entry from public.test_ledger where run_id = $1 order by id',
    [runId],
  );
  return rows.map((r) => r.entry);
}

async function untilInside(name: string, count: number): Promise<void> {
  await expect.poll(() => inside.get(name) ?? 0, { timeout: 10_000, interval: 10 }).toBeGreaterThanOrEqual(count);
}

describe('cancel', () => {
  it('stops a running run within its current step', async () => {
    const { slug } = await bench.apply(`
name: Long Job
steps:
  - name: Block
    action: { type: test_block, gate: cancel-running }
  - name: After
    action: { type: test_ledger, entry: after }
`);
    const runId = await bench.start(slug);
    await untilInside('cancel-running', 1);
    expect(await cancelRun(bench.services.db, runId)).toBe(true);
    const run = await bench.waitFor(runId);
    expect(run.status).toBe('cancelled');
    await expect.poll(() => inside.get('cancel-running'), { timeout: 10_000 }).toBe(0);
    expect(stepsByName(run).After).toBeUndefined();
    expect(await cancelRun(bench.services.db, runId)).toBe(false);
  });

  it('cancels a waiting run so it never resumes', async () => {
    const { slug } = await bench.apply(`
name: Wait Then Write
steps:
  - name: Pause
    action: { type: delay, duration: 800ms }
  - name: Write
    action: { type: test_ledger, entry: written }
`);
    const runId = await bench.start(slug);
    await bench.waitFor(runId, ['waiting']);
    expect(await cancelRun(bench.services.db, runId)).toBe(true);
    const jobs = await bench.services.pool.query("select 1 from graphile_worker.jobs where key = 'run:' || $1", [runId]);
    expect(jobs.rows).toHaveLength(0);
    expect((await bench.waitFor(runId)).status).toBe('cancelled');
    expect(await ledger(runId)).toEqual([]);
  });
});

describe('retrying a finished run', () => {
  const yaml = (failTimes: number, key: string) => `
name: Three Writes
steps:
  - name: First
    action: { type: test_ledger, entry: first }
  - name: Second
    action: { type: test_fail, times: ${failTimes}, kind: fatal, key: ${key} }
  - name: Third
    action: { type: test_ledger, entry: third }
`;

  it('resumes from the failed step, keeping earlier results as carried-over checkpoints', async () => {
    const { slug } = await bench.apply(yaml(1, 'from-failed'));
    const failed = await bench.waitFor(await bench.start(slug));
    expect(failed.status).toBe('failed');
    const retried = await bench.waitFor(await retryRun(bench.services.db, failed.id));
    expect(retried.status).toBe('succeeded');
    expect(retried.retry_of).toBe(failed.id);
    expect(await ledger(failed.id)).toEqual(['first']);
    expect(await ledger(retried.id)).toEqual(['third']);
    expect(stepsByName(retried).First!.carried_over).toBe(true);
    expect(stepsByName(retried).Second!.carried_over).toBe(false);
  });

  it('runs every step again when retried from the start', async () => {
    await bench.apply(yaml(1, 'from-start'));
    const failed = await bench.waitFor(await bench.start('three-writes'));
    expect(failed.status).toBe('failed');
    const retried = await bench.waitFor(await retryRun(bench.services.db, failed.id, { fromFailedStep: false }));
    expect(await ledger(retried.id)).toEqual(['first', 'third']);
  });

  it('can retry on the latest version instead of the pinned one', async () => {
    await bench.apply(yaml(1, 'latest'));
    const failed = await bench.waitFor(await bench.start('three-writes'));
    expect(failed.status).toBe('failed');
    const { version } = await bench.apply(yaml(0, 'latest-v2'));
    const onLatest = await bench.waitFor(await retryRun(bench.services.db, failed.id, { latestVersion: true }));
    expect(onLatest.version).toBe(version);
    expect(onLatest.status).toBe('succeeded');
  });
});

describe('version pinning', () => {
  it('keeps a run on the version it started with while a new version is applied', async () => {
    const v1 = await bench.apply(`
name: Pinned
steps:
  - name: Hold
    action: { type: test_block, gate: pinned }
  - name: Say
    action: { type: log, message: version one }
`);
    const runId = await bench.start(v1.slug);
    await untilInside('pinned', 1);
    const v2 = await bench.apply(`
name: Pinned
steps:
  - name: Hold
    action: { type: log, message: no hold }
  - name: Say
    action: { type: log, message: version two }
`);
    expect(v2.version).toBe(v1.version + 1);
    const newer = await bench.waitFor(await bench.start(v1.slug));
    expect(stepsByName(newer).Say!.output).toMatchObject({ message: 'version two' });
    gate('pinned').release();
    const older = await bench.waitFor(runId);
    expect(older.version).toBe(v1.version);
    expect(stepsByName(older).Say!.output).toMatchObject({ message: 'version one' });
  });
});

describe('concurrency and queues', () => {
  it('never runs more than `concurrency` runs of a workflow at once', async () => {
    const { slug } = await bench.apply(`
name: Limited
concurrency: 2
steps:
  - name: Work
    action: { type: test_block, gate: limited }
`);
    const ids = await Promise.all(Array.from({ length: 6 }, () => bench.start(slug)));
    await untilInside('limited', 1);
    // Give the worker (6 slots) every chance to over-admit before releasing.
    await expect
      .poll(
        async () =>
          (await bench.services.pool.query("select count(*)::int n from khaosflow.runs where status = 'queued' and id = any($1)", [ids]))
            .rows[0].n,
        { timeout: 10_000 },
      )
      .toBeLessThanOrEqual(5);
    gate('limited').release();
    for (const id of ids) expect((await bench.waitFor(id)).status).toBe('succeeded');
    expect(maxInside.get('limited')).toBeLessThanOrEqual(2);
  });

  it('runs runs with the same queue key one at a time, in order', async () => {
    const { slug } = await bench.apply(`
name: Per Customer
queue: "{{trigger.data.customer}}"
steps:
  - name: Start
    action: { type: test_ledger, entry: "start {{trigger.data.customer}} {{trigger.data.n}}" }
  - name: Slow
    action: { type: test_sleep, ms: 30 }
  - name: End
    action: { type: test_ledger, entry: "end {{trigger.data.customer}} {{trigger.data.n}}" }
`);
    const ids: string[] = [];
    for (let n = 1; n <= 4; n++) ids.push(await bench.start(slug, { customer: 'acme', n }));
    for (const id of ids) expect((await bench.waitFor(id)).status).toBe('succeeded');
    const { rows } = await bench.services.pool.query<{ entry: string }>(
      'select entry from public.test_ledger where run_id = any($1) order by at, id',
      [ids],
    );
    expect(rows.map((r) => r.entry)).toEqual([
      'start acme 1',
      'end acme 1',
      'start acme 2',
      'end acme 2',
      'start acme 3',
      'end acme 3',
      'start acme 4',
      'end acme 4',
    ]);
    const queues = await bench.services.pool.query('select distinct queue_name from khaosflow.runs where id = any($1)', [ids]);
    expect(queues.rows).toEqual([{ queue_name: expect.stringMatching(/^q:\d+:acme$/) }]);
  });
});
