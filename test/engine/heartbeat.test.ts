// Which Graphile locks a heartbeat tick releases. A process SIGKILLed between Graphile
// taking its first jobs and its first heartbeat never named its pool anywhere; those
// jobs must still come back once their lock is older than the stale window, while a
// lock held by a pool a live process names must stay, however old it is.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHeartbeat } from '../../server/engine/heartbeat.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { silentLogger } from '../helpers/vault.js';

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase({ max: 3 });
});
afterAll(() => tdb?.drop());

/** A job locked by `pool`, `ageSeconds` ago. */
async function lockedJob(pool: string, ageSeconds: number): Promise<string> {
  const { rows } = await tdb.pool.query<{ id: string }>(
    `select id from graphile_worker.add_job('heartbeat_test', '{}'::json, max_attempts => 1)`,
  );
  const id = rows[0]!.id;
  await tdb.pool.query(
    `update graphile_worker._private_jobs set locked_by = $2, locked_at = now() - make_interval(secs => $3) where id = $1`,
    [id, pool, ageSeconds],
  );
  return id;
}

async function lockHolder(jobId: string): Promise<string | null> {
  const { rows } = await tdb.pool.query<{ locked_by: string | null }>('select locked_by from graphile_worker.jobs where id = $1', [jobId]);
  return rows[0]!.locked_by;
}

describe('heartbeat tick', () => {
  it('releases locks of pools nobody names once they are older than the stale window, and keeps named ones', async () => {
    // Another live process that names its pool.
    await tdb.pool.query(
      `insert into khaosflow.workers (id, hostname, pid, kind, version, graphile_worker_ids, heartbeat_at)
       values ('live-node', 'h', 1, 'worker', 'test', '{pool-live}', now())`,
    );
    const named = await lockedJob('pool-live', 600);
    const unnamedOld = await lockedJob('pool-died-before-first-beat', 600);
    const unnamedYoung = await lockedJob('pool-just-started', 0);

    const hb = startHeartbeat({
      pool: tdb.pool,
      logger: silentLogger,
      nodeId: 'this-node',
      kind: 'worker',
      poolIds: () => ['pool-mine'],
      staleAfterMs: 20_000,
    });
    await hb.beat();
    await expect.poll(() => lockHolder(unnamedOld)).toBeNull();
    await hb.stop();

    expect(await lockHolder(named)).toBe('pool-live');
    // Younger than the window: its process may not have beaten yet.
    expect(await lockHolder(unnamedYoung)).toBe('pool-just-started');
  });
});
