// Durable waits: delays and sub-workflows park the run instead of holding a worker.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBench, stepsByName, type Bench } from '../helpers/engine.js';
import { registerTestActions } from '../helpers/test-actions.js';

let bench: Bench;
beforeAll(async () => {
  registerTestActions();
  // One run at a time: a waiting run must not block the next one.
  bench = await startBench({ concurrency: 1 });
});
afterAll(() => bench?.stop());

describe('delays', () => {
  it('parks the run until the delay is over without holding the only worker slot', async () => {
    const { slug } = await bench.apply(`
name: Follow Up
steps:
  - name: Wait a Bit
    action: { type: delay, duration: 1500ms }
  - name: Nudge
    action: { type: log, message: "after {{steps.wait_a_bit.result.waited_ms}} ms" }
`);
    const delayed = await bench.start(slug);
    const waiting = await bench.waitFor(delayed, ['waiting']);
    expect(waiting.wake_at).not.toBeNull();
    expect(stepsByName(waiting)['Wait a Bit']!.status).toBe('succeeded');

    const { slug: quick } = await bench.apply(`name: Quick\nsteps:\n  - name: Hi\n    action: { type: log, message: hi }\n`);
    const other = await bench.waitFor(await bench.start(quick));
    expect(other.status).toBe('succeeded');
    expect((await bench.waitFor(delayed, ['waiting'])).status).toBe('waiting');

    const done = await bench.waitFor(delayed);
    expect(done.status).toBe('succeeded');
    const nudge = stepsByName(done).Nudge!;
    expect(new Date(nudge.started_at).getTime()).toBeGreaterThanOrEqual(new Date(waiting.wake_at!).getTime() - 1000);
    expect(nudge.output).toMatchObject({ message: 'after 1500 ms' });
  });

  it('continues at once when the delay is already over (until in the past)', async () => {
    const { slug } = await bench.apply(`
name: Past Due
steps:
  - name: Until
    action: { type: delay, until: "2001-01-01T00:00:00Z" }
  - name: Go
    action: { type: log, message: go }
`);
    const run = await bench.waitFor(await bench.start(slug));
    expect(run.status).toBe('succeeded');
    expect(stepsByName(run).Until!.output).toEqual({ until: '2001-01-01T00:00:00.000Z', waited_ms: 0 });
  });
});

describe('sub-workflows', () => {
  beforeAll(async () => {
    await bench.apply(`
name: Tax
steps:
  - name: Compute
    action: { type: transform, operation: map, input: "{{trigger.data.amounts}}", transform: "$ * 0.2" }
`);
    await bench.apply(`
name: Broken Child
steps:
  - name: Explode
    action: { type: test_fail, times: 9, kind: fatal, message: child exploded }
`);
  });

  it('waits for the called workflow and uses its result', async () => {
    const { slug } = await bench.apply(`
name: Invoice
steps:
  - name: Get Tax
    action: { type: call_workflow, workflow: tax, data: { amounts: "{{trigger.data.amounts}}" } }
  - name: Total
    action: { type: log, message: "tax {{sum(steps.get_tax.result)}}" }
`);
    const run = await bench.waitFor(await bench.start(slug, { amounts: [10, 20] }));
    expect(run.status).toBe('succeeded');
    expect(stepsByName(run).Total!.output).toMatchObject({ message: 'tax 6' });
    const children = await bench.services.pool.query(
      'select status, parent_step, trigger_data from khaosflow.runs where parent_run_id = $1',
      [run.id],
    );
    expect(children.rows).toEqual([
      { status: 'succeeded', parent_step: 'steps[0]', trigger_data: expect.objectContaining({ data: { amounts: [10, 20] } }) },
    ]);
  });

  it('fails the calling step when the called run fails', async () => {
    const { slug } = await bench.apply(`
name: Calls Broken
steps:
  - name: Call
    action: { type: call_workflow, workflow: broken-child }
`);
    const run = await bench.waitFor(await bench.start(slug));
    expect(run.status).toBe('failed');
    expect((run.error as { message: string }).message).toMatch(
      /^The called workflow "broken-child" failed \(run [0-9a-f-]{36}\): child exploded\.$/,
    );
  });

  it('starts the called workflow and goes on without waiting (fire and forget)', async () => {
    const { slug } = await bench.apply(`
name: Fire
steps:
  - name: Kick
    action: { type: call_workflow, workflow: tax, wait: false, data: { amounts: [1] } }
`);
    const run = await bench.waitFor(await bench.start(slug));
    expect(run.status).toBe('succeeded');
    const childId = (run.output as { run_id: string }).run_id;
    expect((await bench.waitFor(childId)).status).toBe('succeeded');
  });

  it('refuses to call a workflow that does not exist', async () => {
    const { slug } = await bench.apply(`
name: Calls Nothing
steps:
  - name: Call
    action: { type: call_workflow, workflow: no-such-thing }
`);
    const run = await bench.waitFor(await bench.start(slug));
    expect(run.status).toBe('failed');
    expect((run.error as { message: string }).message).toContain('there is no workflow "no-such-thing"');
  });
});
