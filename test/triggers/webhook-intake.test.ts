// Group commit at intake: webhook requests arriving together are accepted in one
// transaction, each answered only with a run that is on disk; idempotency keys still
// dedupe inside a batch; a refused or broken entry does not sink the others; a batch
// the database refuses answers every caller with a clear error and leaves no run.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { announceRunEnded } from '../../server/core/run-endings.js';
import { WorkflowUnavailableError } from '../../server/queue/enqueue-run.js';
import { createIntakeBatcher, IntakeUnavailableError } from '../../server/queue/intake-batch.js';
import { startRunWaiter } from '../../server/triggers/webhook/run-waiter.js';
import { createTestDatabase, databaseUrl, type TestDatabase } from '../helpers/db.js';
import { startTestNode, type TestNode } from '../helpers/node.js';
import { registerTestActions } from '../helpers/test-actions.js';
import { applyYaml, runsOf, tempDir } from './helpers.js';

let tdb: TestDatabase;
let node: TestNode;
beforeAll(async () => {
  registerTestActions();
  tdb = await createTestDatabase();
  await applyYaml(
    tdb.db,
    `
name: Intake
trigger: { type: webhook, path: /intake }
steps:
  - name: Shape
    action: { type: log, message: "got {{trigger.data.items}}" }
`,
  );
  await applyYaml(tdb.db, 'name: Intake Off\ntrigger: { type: webhook }\n', { enabled: false });
  node = await startTestNode({
    databaseUrl: tdb.url,
    http: true,
    worker: false,
    singletons: false,
    env: { KHAOSFLOW_HOME: tempDir('kf-intake-') },
  });
});
afterAll(async () => {
  await node?.stop();
  await tdb?.drop();
});

/** The transaction ids that wrote these runs: one id means one commit. */
async function writers(ids: string[]): Promise<string[]> {
  const { rows } = await tdb.pool.query<{ xmin: string }>('select distinct xmin::text from khaosflow.runs where id = any($1::uuid[])', [
    ids,
  ]);
  return rows.map((r) => r.xmin);
}

describe('intake batcher', () => {
  it('accepts concurrent triggers in one transaction, each with its own run on disk', async () => {
    const batcher = createIntakeBatcher(tdb.pool);
    const ids = await Promise.all(Array.from({ length: 20 }, (_, i) => batcher.trigger('intake', 'webhook', { data: { n: i } })));
    expect(new Set(ids).size).toBe(20);
    expect(await writers(ids)).toHaveLength(1);
    expect(batcher.stats).toEqual({ batches: 1, runs: 20 });
    const { rows } = await tdb.pool.query<{ n: number }>(
      `select (trigger_data->'data'->>'n')::int as n from khaosflow.runs where id = any($1::uuid[]) order by n`,
      [ids],
    );
    expect(rows.map((r) => r.n)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    const { rows: jobs } = await tdb.pool.query<{ n: string }>(
      `select count(*) as n from graphile_worker.jobs where key = any($1::text[])`,
      [ids.map((id) => `run:${id}`)],
    );
    expect(Number(jobs[0]!.n)).toBe(20);
  });

  it('dedupes a repeated key inside one batch to the first run', async () => {
    const batcher = createIntakeBatcher(tdb.pool);
    const [a, b, c] = await Promise.all([
      batcher.trigger('intake', 'webhook', { data: { n: 1 } }, 'same-key'),
      batcher.trigger('intake', 'webhook', { data: { n: 2 } }, 'same-key'),
      batcher.trigger('intake', 'webhook', { data: { n: 3 } }, 'other-key'),
    ]);
    expect(batcher.stats.batches).toBe(1);
    expect(b).toBe(a);
    expect(c).not.toBe(a);
    const runs = (await runsOf(tdb.db, 'intake')).filter((r) => r.dedupe_key === 'same-key');
    expect(runs).toHaveLength(1);
    expect((runs[0]!.trigger_data as { data: { n: number } }).data.n).toBe(1);
  });

  it('refuses a missing or disabled workflow without sinking the rest of its batch', async () => {
    const batcher = createIntakeBatcher(tdb.pool);
    const [ok, missing, off] = await Promise.allSettled([
      batcher.trigger('intake', 'webhook', { data: {} }),
      batcher.trigger('no-such-flow', 'webhook', { data: {} }),
      batcher.trigger('intake-off', 'webhook', { data: {} }),
    ]);
    expect(batcher.stats.batches).toBe(1);
    expect(ok.status).toBe('fulfilled');
    expect(await writers([(ok as PromiseFulfilledResult<string>).value])).toHaveLength(1);
    expect((missing as PromiseRejectedResult).reason).toBeInstanceOf(WorkflowUnavailableError);
    expect((missing as PromiseRejectedResult).reason.reason).toBe('not_found');
    expect((off as PromiseRejectedResult).reason.reason).toBe('disabled');
  });

  it('keeps the good entries of a batch that one payload broke, and fails only that one', async () => {
    const batcher = createIntakeBatcher(tdb.pool);
    // Postgres' jsonb refuses the NUL character: the batch statement fails as a whole.
    const [good1, bad, good2] = await Promise.allSettled([
      batcher.trigger('intake', 'webhook', { data: { n: 'good-1' } }),
      batcher.trigger('intake', 'webhook', { data: { n: 'bad\u0000' } }),
      batcher.trigger('intake', 'webhook', { data: { n: 'good-2' } }),
    ]);
    expect(good1.status).toBe('fulfilled');
    expect(good2.status).toBe('fulfilled');
    expect((bad as PromiseRejectedResult).reason).toBeInstanceOf(IntakeUnavailableError);
    const ids = [good1, good2].map((r) => (r as PromiseFulfilledResult<string>).value);
    const { rows } = await tdb.pool.query('select id from khaosflow.runs where id = any($1::uuid[])', [ids]);
    expect(rows).toHaveLength(2);
  });

  it('answers every caller of a batch the database refuses with IntakeUnavailableError', async () => {
    const gone = new pg.Pool({ connectionString: databaseUrl('kf_no_such_database'), max: 1 });
    try {
      const batcher = createIntakeBatcher(gone);
      const results = await Promise.allSettled([1, 2, 3].map((n) => batcher.trigger('intake', 'webhook', { data: { n } })));
      for (const r of results) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(IntakeUnavailableError);
    } finally {
      await gone.end();
    }
  });
});

describe('POST /hooks through the batcher', () => {
  it('answers each concurrent request 202 with a run that is already committed', async () => {
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        fetch(`${node.baseUrl}/hooks/intake`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ items: [i] }),
        }),
      ),
    );
    const ids: string[] = [];
    for (const res of answers) {
      expect(res.status).toBe(202);
      ids.push(((await res.json()) as { run_id: string }).run_id);
    }
    const { rows } = await tdb.pool.query('select id from khaosflow.runs where id = any($1::uuid[])', [ids]);
    expect(rows).toHaveLength(30);
  });

  it('still dedupes concurrent deliveries with one Idempotency-Key', async () => {
    const answers = await Promise.all(
      [1, 2, 3, 4].map(() =>
        fetch(`${node.baseUrl}/hooks/intake`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': 'delivery-77' },
          body: '{"items":[1]}',
        }).then(async (res) => ((await res.json()) as { run_id: string }).run_id),
      ),
    );
    expect(new Set(answers).size).toBe(1);
  });
});

describe('run waiter', () => {
  it('answers a waiting request when the run ends in this process, without waiting for a poll', async () => {
    // A poll interval longer than the test: only the in-process announcement can answer.
    const waiter = startRunWaiter({ pool: tdb.pool, pollEveryMs: 600_000 });
    try {
      const waiting = waiter.wait('0190e4a5-0000-7000-8000-000000000001', 600_000);
      announceRunEnded({ id: '0190e4a5-0000-7000-8000-000000000001', status: 'succeeded', output: { ok: 1 }, error: null });
      expect(await waiting).toEqual({ id: '0190e4a5-0000-7000-8000-000000000001', status: 'succeeded', output: { ok: 1 }, error: null });
    } finally {
      waiter.stop();
    }
  });
});
