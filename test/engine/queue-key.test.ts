// A `queue:` key that fails to evaluate fails its run with an error naming the key; it
// does not silently put the run in the queue `_` shared by runs without a key. Runs
// whose key is merely empty still share `_`.
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

const run = async (id: string) =>
  (
    await bench.services.pool.query<{ status: string; queue_name: string | null; error: { name: string; message: string } | null }>(
      'select status, queue_name, error from khaosflow.runs where id = $1',
      [id],
    )
  ).rows[0]!;

describe('queue key', () => {
  it('fails the run with a clear error when its key cannot be evaluated, and queues the others', async () => {
    const { slug } = await bench.apply(`
name: Numbered Ledger
queue: "{{ $number(trigger.data.account) }}"
steps:
  - name: Note
    action: { type: test_ledger, entry: "{{trigger.data.account}}" }
`);
    const bad = await bench.start(slug, { account: 'not a number' });
    const good = await bench.start(slug, { account: '42' });
    const signal = new AbortController().signal;

    // The good run is executed first: the older bad run is skipped, not given queue `_`.
    await executeRun(bench.services, good, { signal });
    expect(await run(good)).toMatchObject({ status: 'succeeded', queue_name: expect.stringMatching(/^q:\d+:42$/) });
    expect((await run(bad)).queue_name).toBeNull();

    await executeRun(bench.services, bad, { signal });
    const failed = await run(bad);
    expect(failed.status).toBe('failed');
    expect(failed.queue_name).toBeNull();
    expect(failed.error?.name).toBe('QueueKeyError');
    expect(failed.error?.message).toContain('queue key "{{ $number(trigger.data.account) }}" could not be evaluated');
    expect(failed.error?.message).toContain('Unable to cast value to a number');
    const { rows } = await bench.services.pool.query('select 1 from public.test_ledger where run_id = $1', [bad]);
    expect(rows).toEqual([]);
  });

  it('puts runs whose key is empty in the shared queue `_`', async () => {
    const { slug } = await bench.apply(`
name: Optional Key Ledger
queue: "{{trigger.data.customer}}"
steps:
  - name: Note
    action: { type: test_ledger, entry: "none" }
`);
    const id = await bench.start(slug, {});
    await executeRun(bench.services, id, { signal: new AbortController().signal });
    expect(await run(id)).toMatchObject({ status: 'succeeded', queue_name: expect.stringMatching(/^q:\d+:_$/) });
  });
});
