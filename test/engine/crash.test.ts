// A worker process is SIGKILLed in the middle of a run. Another worker must take the
// run over within 60 s (heartbeats release the dead worker's job) and finish it, and
// no step that completed before the kill may run again.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../server/paths.js';
import { startBench, type Bench } from '../helpers/engine.js';
import { startTestNode } from '../helpers/node.js';
import { createLedger, registerTestActions } from '../helpers/test-actions.js';

let bench: Bench;
beforeAll(async () => {
  registerTestActions();
  // No worker in this process yet: the run must go to the child process first.
  bench = await startBench({ worker: false });
  await createLedger(bench.services.pool);
});
afterAll(() => bench?.stop());

function spawnWorker(databaseUrl: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'test/fixtures/test-worker.ts')], {
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return { child, exited, output: () => out };
}

describe('crash recovery', () => {
  it('finishes a run whose worker was killed, without repeating completed steps', async () => {
    const { slug } = await bench.apply(`
name: Crash Ledger
steps:
  - name: One
    action: { type: test_ledger, entry: one }
  - name: Two
    action: { type: test_ledger, entry: two }
  - name: Slow
    action: { type: test_sleep, ms: 4000 }
  - name: Four
    action: { type: test_ledger, entry: four }
`);
    const worker = spawnWorker(bench.tdb.url);
    const runId = await bench.start(slug);
    // Kill once the slow step is visibly running (its "running" row exists).
    await expect
      .poll(
        async () =>
          (
            await bench.services.pool.query(
              "select 1 from khaosflow.step_runs where run_id = $1 and step_name = 'Slow' and status = 'running'",
              [runId],
            )
          ).rowCount,
        { timeout: 30_000, interval: 20 },
      )
      .toBe(1);
    worker.child.kill('SIGKILL');
    await worker.exited;
    expect((await bench.services.pool.query('select status from khaosflow.runs where id = $1', [runId])).rows[0].status).toBe('running');

    // A fresh worker on the same database; its heartbeat releases the dead worker's job.
    const node = await startTestNode({ databaseUrl: bench.tdb.url, http: false, worker: true, singletons: false });
    try {
      // Graphile alone would keep the job locked for 4 hours; the deadline is the acceptance bar.
      const run = await bench.waitFor(runId, ['succeeded', 'failed'], 60_000);
      expect({ status: run.status, error: run.error }).toEqual({ status: 'succeeded', error: null });
      const { rows } = await bench.services.pool.query<{ entry: string }>(
        'select entry from public.test_ledger where run_id = $1 order by id',
        [runId],
      );
      expect(rows.map((r) => r.entry)).toEqual(['one', 'two', 'four']);
      expect(run.attempt).toBe(2);
    } finally {
      await node.stop();
    }
  });
});
