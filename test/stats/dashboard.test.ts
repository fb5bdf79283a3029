// The dashboard's numbers through GET /api/stats, from runs written straight into the
// database with known statuses, times and errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../server/api-keys/store.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { startTestNode, type TestNode } from '../helpers/node.js';
import { applyYaml, tempDir } from '../triggers/helpers.js';

let tdb: TestDatabase;
let node: TestNode;
let key: string;

async function addRuns(slug: string, status: string, count: number, opts: { minutesAgo: number; durationMs?: number; error?: string }) {
  await tdb.pool.query(
    `insert into khaosflow.runs (workflow_id, version, status, created_at, started_at, finished_at, error)
     select w.id, w.current_version, $2, now() - make_interval(mins => $3), now() - make_interval(mins => $3),
            case when $2 in ('succeeded', 'failed', 'cancelled') then now() - make_interval(mins => $3) + make_interval(secs => $4::float8 / 1000) end,
            case when $5::text is null then null else jsonb_build_object('message', $5::text) end
       from khaosflow.workflows w, generate_series(1, $6) where w.slug = $1`,
    [slug, status, opts.minutesAgo, opts.durationMs ?? 0, opts.error ?? null, count],
  );
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  node = await startTestNode({
    databaseUrl: tdb.url,
    http: true,
    worker: false,
    singletons: false,
    env: { KHAOSFLOW_HOME: tempDir('kf-stats-') },
  });
  key = (await createApiKey(tdb.db, { scopes: ['read'] })).key;
  await applyYaml(tdb.db, 'name: Import Orders\ntrigger: { type: manual }\nsteps: [{ name: Say, action: { type: log, message: hi } }]\n');
  await applyYaml(tdb.db, 'name: Sync Stock\ntrigger: { type: manual }\nsteps: [{ name: Say, action: { type: log, message: hi } }]\n');
  await addRuns('import-orders', 'succeeded', 6, { minutesAgo: 30, durationMs: 100 });
  await addRuns('import-orders', 'failed', 1, { minutesAgo: 20, durationMs: 1000, error: 'older failure' });
  await addRuns('import-orders', 'failed', 1, { minutesAgo: 10, durationMs: 1000, error: 'bad CSV row 3' });
  await addRuns('sync-stock', 'failed', 1, { minutesAgo: 5, durationMs: 1000, error: 'stock API down' });
  await addRuns('sync-stock', 'succeeded', 1, { minutesAgo: 3 * 60, durationMs: 100 }); // outside 1h
  await addRuns('sync-stock', 'queued', 2, { minutesAgo: 2 });
  await tdb.pool.query(
    "insert into khaosflow.trigger_problems (workflow_id, trigger_type, message) select id, 'manual', 'mailbox refused the login' from khaosflow.workflows where slug = 'sync-stock'",
  );
});
afterAll(async () => {
  await node?.stop();
  await tdb?.drop();
});

const stats = async (window: string) => {
  const res = await fetch(`${node.baseUrl}/api/stats?window=${window}`, { headers: { authorization: `Bearer ${key}` } });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
};

describe('GET /api/stats', () => {
  it('counts the window: success rate, durations, backlog, the workflows failing most and triggers not listening', async () => {
    const { status, body } = await stats('1h');
    expect(status).toBe(200);
    expect(body.totals).toEqual({ runs: 11, succeeded: 6, failed: 3, success_rate: 6 / 9 });
    expect(body.duration_ms).toEqual({ p50: 100, p95: 1000 });
    expect(body.queue.queued).toBe(2);
    expect(body.queue.oldest_queued_seconds).toBeGreaterThanOrEqual(110);
    expect(body.failing).toEqual([
      expect.objectContaining({ slug: 'import-orders', failed: 2, last_error: 'bad CSV row 3' }),
      expect.objectContaining({ slug: 'sync-stock', failed: 1, last_error: 'stock API down' }),
    ]);
    expect(body.not_listening).toEqual([expect.objectContaining({ slug: 'sync-stock', message: 'mailbox refused the login' })]);
    const perBucket = (body.series as { counts: Record<string, number> }[]).reduce(
      (sum, bucket) => sum + Object.values(bucket.counts).reduce((a, b) => a + b, 0),
      0,
    );
    expect(perBucket).toBe(11);
  });

  it('widens with the window and refuses an unknown one', async () => {
    expect((await stats('24h')).body.totals.runs).toBe(12);
    const bad = await stats('2y');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('1h, 6h, 24h, 7d');
  });

  it('leaves failed test runs (from the editor) out of the workflows failing most', async () => {
    await applyYaml(tdb.db, 'name: Being Built\ntrigger: { type: manual }\nsteps: [{ name: Say, action: { type: log, message: hi } }]\n');
    await tdb.pool.query(
      `insert into khaosflow.runs (workflow_id, version, status, trigger_kind, created_at, finished_at, error)
       select id, current_version, 'failed', 'test', now(), now(), '{"message":"typo in step 2"}' from khaosflow.workflows where slug = 'being-built'`,
    );
    const { body } = await stats('1h');
    expect(body.failing.map((f: { slug: string }) => f.slug)).toEqual(['import-orders', 'sync-stock']);
  });
});
