import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBench, stepsByName, type Bench } from '../helpers/engine.js';
import { registerTestActions } from '../helpers/test-actions.js';

let bench: Bench;
beforeAll(async () => {
  registerTestActions();
  bench = await startBench();
});
afterAll(() => bench?.stop());

describe('error handling', () => {
  it('runs on_failure actions once with the error, the failed step and the workflow name', async () => {
    const { slug } = await bench.apply(`
workflow:
  name: Nightly Sync
  error_handling:
    strategy: retry_then_alert
    retry: { max_attempts: 2, delay: 10ms }
    on_failure:
      - type: log
        level: error
        message: "{{error.message}}"
      - type: log
        message: "Workflow Failed: {{workflow.name}} at {{error.step}}"
  steps:
    - name: Pull
      action: { type: test_fail, times: 9, message: upstream 503 }
`);
    const run = await bench.waitFor(await bench.start(slug));
    expect(run.status).toBe('failed');
    const steps = stepsByName(run);
    expect(run.steps.filter((s) => s.name === 'Pull')).toHaveLength(2);
    expect(steps['on_failure: log']!.output).toMatchObject({ message: 'Workflow Failed: Nightly Sync at Pull' });
    const handlers = run.steps.filter((s) => s.path.startsWith('on_failure'));
    expect(handlers.map((s) => [s.path, (s.output as { message: string }).message])).toEqual([
      ['on_failure[0]', 'upstream 503 (attempt 2)'],
      ['on_failure[1]', 'Workflow Failed: Nightly Sync at Pull'],
    ]);
  });

  it('goes on after a failed step under the continue strategy, recording the failure', async () => {
    const { slug } = await bench.apply(`
workflow:
  name: Best Effort
  error_handling: { strategy: continue }
  steps:
    - name: Optional Enrichment
      action: { type: test_fail, times: 9, kind: fatal, message: no data }
    - name: Carry On
      action: { type: log, message: "enrichment {{steps.optional_enrichment.status}}: {{steps.optional_enrichment.error.message}}" }
`);
    const run = await bench.waitFor(await bench.start(slug));
    expect(run.status).toBe('succeeded');
    expect(stepsByName(run)['Optional Enrichment']!.status).toBe('failed');
    expect(stepsByName(run)['Carry On']!.output).toMatchObject({ message: 'enrichment failed: no data' });
  });

  it('honours continue_on_error on one step while other failures still fail the run', async () => {
    const { slug } = await bench.apply(`
name: Mixed
steps:
  - name: Soft
    continue_on_error: true
    action: { type: test_fail, times: 9, kind: fatal }
  - name: Hard
    action: { type: test_fail, times: 9, kind: fatal, message: hard stop }
  - name: After
    action: { type: log, message: unreachable }
`);
    const run = await bench.waitFor(await bench.start(slug));
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ step: 'Hard', message: 'hard stop' });
    expect(stepsByName(run).After).toBeUndefined();
  });

  it('fails at once under fail_fast, ignoring the workflow retry policy', async () => {
    const { slug } = await bench.apply(`
workflow:
  name: Strict
  error_handling:
    strategy: fail_fast
    retry: { max_attempts: 5, delay: 10ms }
  steps:
    - name: Once
      action: { type: test_fail, times: 1 }
`);
    const run = await bench.waitFor(await bench.start(slug));
    expect(run.status).toBe('failed');
    expect(run.steps.filter((s) => s.name === 'Once')).toHaveLength(1);
  });

  it('fails a step whose expression cannot be evaluated, naming the expression and the step', async () => {
    const { slug } = await bench.apply(`
name: Bad Data
steps:
  - name: Compute
    action: { type: log, message: "{{trigger.data.n + 'x'}}" }
`);
    const run = await bench.waitFor(await bench.start(slug, { n: 1 }));
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ step: 'Compute', retryable: false });
    expect((run.error as { message: string }).message).toMatch(/expression "trigger\.data\.n \+ 'x'" in step "Compute"/);
  });

  it('fails a run that exceeds its timeout', async () => {
    const { slug } = await bench.apply(`
name: Bounded
timeout: 300ms
steps:
  - name: Too Slow
    action: { type: test_sleep, ms: 20000 }
`);
    const run = await bench.waitFor(await bench.start(slug));
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ name: 'RunTimeout' });
  });
});
