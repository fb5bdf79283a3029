// Intake keeps pace with execution (server/queue/intake-pace.ts): while more runs wait
// ready in the queue than the limit, the next intake batch waits and accepts nothing;
// once the queue is short again it goes on. With no worker the queue never shrinks,
// and a batch is still accepted after the longest wait: late, never refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIntakeBatcher } from '../../server/queue/intake-batch.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { applyYaml } from '../triggers/helpers.js';

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
  await applyYaml(tdb.db, 'name: Paced\ntrigger: { type: webhook, path: /paced }\nsteps: []\n');
});
afterAll(() => tdb?.drop());

/** Ready jobs of a task nobody runs here: they count as queue depth. */
async function readyJobs(n: number): Promise<void> {
  await tdb.pool.query("select graphile_worker.add_job('pace_filler', '{}'::json) from generate_series(1, $1)", [n]);
}
async function clearJobs(): Promise<void> {
  await tdb.pool.query('delete from graphile_worker._private_jobs');
}
async function runExists(id: string): Promise<boolean> {
  return (await tdb.pool.query('select 1 from khaosflow.runs where id = $1', [id])).rowCount === 1;
}
const runCount = async () => (await tdb.pool.query<{ n: number }>('select count(*)::int as n from khaosflow.runs')).rows[0]!.n;

describe('intake pace', () => {
  it('holds a batch while the queue is over the limit and accepts it once the queue is short again', async () => {
    await readyJobs(5);
    const before = await runCount();
    const batcher = createIntakeBatcher(tdb.pool, { queueLimit: 3, maxPaceWaitMs: 600_000 });
    let accepted = false;
    const waiting = batcher.trigger('paced', 'webhook', { data: { n: 1 } }).then((id) => {
      accepted = true;
      return id;
    });
    await expect.poll(() => batcher.pacedWaits()).toBe(1);
    // Over the limit: nothing is inserted and nobody is answered.
    expect(await runCount()).toBe(before);
    expect(accepted).toBe(false);

    await clearJobs();
    expect(await runExists(await waiting)).toBe(true);
  });

  it('accepts a batch after the longest wait even when the queue never shrinks', async () => {
    await clearJobs();
    await readyJobs(5);
    const batcher = createIntakeBatcher(tdb.pool, { queueLimit: 3, maxPaceWaitMs: 300 });
    const runId = await batcher.trigger('paced', 'webhook', { data: { n: 2 } });
    expect(batcher.pacedWaits()).toBe(1);
    expect(await runExists(runId)).toBe(true);
  });

  it('does not wait while the queue is within the limit', async () => {
    await clearJobs();
    await readyJobs(2);
    const batcher = createIntakeBatcher(tdb.pool, { queueLimit: 3, maxPaceWaitMs: 600_000 });
    expect(await runExists(await batcher.trigger('paced', 'webhook', { data: { n: 3 } }))).toBe(true);
    expect(batcher.pacedWaits()).toBe(0);
  });
});
