// Serial queues keep start order even when a worker happens to take a newer run's job
// first, before the older run's queue key has been evaluated (keys are evaluated by the
// worker, since runs can be started from SQL). Jobs are executed by hand here, newest
// first, to make that interleaving certain.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeRun } from '../../server/engine/executor.js';
import { startBench, type Bench } from '../helpers/engine.js';
import { createLedger, registerTestActions } from '../helpers/test-actions.js';

let bench: Bench;
beforeAll(async () => {
  registerTestActions();
  bench = await startBench({ worker: false });
  await createLedger(bench.services.pool);
});
afterAll(() => bench?.stop());

const status = async (id: string) =>
  (
    await bench.services.pool.query<{ status: string; queue_name: string | null }>(
      'select status, queue_name from khaosflow.runs where id = $1',
      [id],
    )
  ).rows[0]!;

describe('serial queue order', () => {
  it('does not admit a newer run of a key while an older one with an unevaluated key is queued', async () => {
    const { slug } = await bench.apply(`
name: Keyed Ledger
queue: "{{trigger.data.customer}}"
steps:
  - name: Note
    action: { type: test_ledger, entry: "{{trigger.data.customer}} {{trigger.data.n}}" }
`);
    const first = await bench.start(slug, { customer: 'acme', n: 1 });
    const other = await bench.start(slug, { customer: 'globex', n: 1 });
    const second = await bench.start(slug, { customer: 'acme', n: 2 });
    expect((await status(first)).queue_name).toBeNull();

    const signal = new AbortController().signal;
    await executeRun(bench.services, second, { signal });
    // Held back: the older acme run got its queue evaluated and comes first.
    expect(await status(second)).toEqual({ status: 'queued', queue_name: expect.stringMatching(/^q:\d+:acme$/) });
    expect((await status(first)).queue_name).toBe((await status(second)).queue_name);
    // Another key is not held up by acme.
    await executeRun(bench.services, other, { signal });
    expect((await status(other)).status).toBe('succeeded');

    await executeRun(bench.services, first, { signal });
    await executeRun(bench.services, second, { signal });
    expect((await status(first)).status).toBe('succeeded');
    expect((await status(second)).status).toBe('succeeded');
    const { rows } = await bench.services.pool.query<{ entry: string }>(
      'select entry from public.test_ledger where run_id = any($1) order by at, id',
      [[first, second, other]],
    );
    expect(rows.map((r) => r.entry)).toEqual(['globex 1', 'acme 1', 'acme 2']);
  });
});
