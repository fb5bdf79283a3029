// Each retry shape, asserted from the attempts the engine recorded (count and the gaps
// between their start times), never from wall-clock timing of the test itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunView } from '../../db/queries/runs.js';
import { startBench, type Bench } from '../helpers/engine.js';
import { registerTestActions } from '../helpers/test-actions.js';

let bench: Bench;
beforeAll(async () => {
  registerTestActions();
  bench = await startBench({ env: { KHAOSFLOW_INLINE_BACKOFF_MS: '1000' } });
});
afterAll(() => bench?.stop());

function attemptsOf(run: RunView, name: string) {
  return run.steps.filter((s) => s.name === name);
}
function gaps(run: RunView, name: string): number[] {
  const starts = attemptsOf(run, name).map((s) => new Date(s.started_at).getTime());
  return starts.slice(1).map((t, i) => t - starts[i]!);
}

async function runOnce(yaml: string, data = {}): Promise<RunView> {
  const { slug } = await bench.apply(yaml);
  return bench.waitFor(await bench.start(slug, data));
}

describe('retries', () => {
  it('retries with a fixed delay until the step succeeds', async () => {
    const run = await runOnce(`
name: Fixed Retry
steps:
  - name: Flaky
    action: { type: test_fail, times: 2 }
    retry: { attempts: 3, backoff: fixed, delay: 200ms }
`);
    expect(run.status).toBe('succeeded');
    expect(attemptsOf(run, 'Flaky').map((s) => [s.attempt, s.status])).toEqual([
      [1, 'failed'],
      [2, 'failed'],
      [3, 'succeeded'],
    ]);
    for (const gap of gaps(run, 'Flaky')) expect(gap).toBeGreaterThanOrEqual(200);
    expect(attemptsOf(run, 'Flaky')[0]!.error).toMatchObject({ message: 'boom (attempt 1)', retryable: true });
  });

  it('retries with exponential backoff capped by max_backoff', async () => {
    const run = await runOnce(`
name: Exponential Retry
steps:
  - name: Flaky
    action:
      type: test_fail
      times: 3
      retry: { attempts: 4, backoff: exponential, delay: 100ms, backoff_multiplier: 3, max_backoff: 400ms }
`);
    expect(run.status).toBe('succeeded');
    const g = gaps(run, 'Flaky');
    expect(g).toHaveLength(3);
    expect(g[0]).toBeGreaterThanOrEqual(100);
    expect(g[1]).toBeGreaterThanOrEqual(300);
    expect(g[2]).toBeGreaterThanOrEqual(400); // 900 capped to 400
    expect(g[2]).toBeLessThan(900);
  });

  it('gives up after the last attempt and fails the run with the step error', async () => {
    const run = await runOnce(`
name: Exhausted
steps:
  - name: Always Fails
    action: { type: test_fail, times: 99, message: remote down }
    retry: { attempts: 2, delay: 50ms }
  - name: Never Reached
    action: { type: log, message: nope }
`);
    expect(run.status).toBe('failed');
    expect(attemptsOf(run, 'Always Fails')).toHaveLength(2);
    expect(run.error).toMatchObject({ message: 'remote down (attempt 2)', step: 'Always Fails' });
    expect(attemptsOf(run, 'Never Reached')).toHaveLength(0);
  });

  it('does not retry an error marked not retryable', async () => {
    const run = await runOnce(`
name: Fatal
steps:
  - name: Bad Input
    action: { type: test_fail, times: 5, kind: fatal, message: "400 Bad Request" }
    retry: { attempts: 5, delay: 10ms }
`);
    expect(run.status).toBe('failed');
    expect(attemptsOf(run, 'Bad Input')).toHaveLength(1);
    expect(run.error).toMatchObject({ message: '400 Bad Request', retryable: false });
  });

  it('waits at least what Retry-After asks', async () => {
    const run = await runOnce(`
name: Retry After
steps:
  - name: Throttled
    action: { type: test_fail, times: 1, kind: retry_after, retry_after_ms: 600 }
    retry: { attempts: 2, delay: 10ms }
`);
    expect(run.status).toBe('succeeded');
    expect(gaps(run, 'Throttled')[0]).toBeGreaterThanOrEqual(600);
  });

  it('parks the run (waiting, no worker slot) for a backoff longer than the in-process limit', async () => {
    const { slug } = await bench.apply(`
name: Long Backoff
steps:
  - name: Slow Retry
    action: { type: test_fail, times: 1 }
    retry: { attempts: 2, delay: 1500ms }
`);
    const runId = await bench.start(slug);
    const waiting = await bench.waitFor(runId, ['waiting']);
    expect(waiting.wake_at).not.toBeNull();
    expect(attemptsOf(waiting, 'Slow Retry').map((s) => s.status)).toEqual(['failed']);
    const job = await bench.services.pool.query("select run_at from graphile_worker.jobs where key = 'run:' || $1", [runId]);
    expect(job.rows).toHaveLength(1);
    const run = await bench.waitFor(runId);
    expect(run.status).toBe('succeeded');
    expect(gaps(run, 'Slow Retry')[0]).toBeGreaterThanOrEqual(1500);
  });

  it('applies the workflow retry policy to steps without their own', async () => {
    const run = await runOnce(`
workflow:
  name: Workflow Retry
  error_handling:
    strategy: retry_then_alert
    retry: { max_attempts: 3, backoff: exponential, delay: 20ms, backoff_multiplier: 2, max_backoff: 300s }
  steps:
    - name: Flaky
      action: { type: test_fail, times: 2 }
`);
    expect(run.status).toBe('succeeded');
    expect(attemptsOf(run, 'Flaky')).toHaveLength(3);
  });
});
