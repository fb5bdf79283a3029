import { describe, expect, it } from 'vitest';
import { backoffMs, effectiveRetry, NO_RETRY } from '../../server/engine/retry-policy.js';
import type { ActionStep, ErrorHandling, RetryPolicy } from '../../server/workflow/types.js';

const policy: RetryPolicy = { attempts: 5, backoff: 'exponential', delay_ms: 1000, multiplier: 2, max_backoff_ms: 5000, jitter: false };

describe('retry policy', () => {
  it('grows exponentially and stops at max_backoff', () => {
    expect([1, 2, 3, 4, 5].map((a) => backoffMs(policy, a))).toEqual([1000, 2000, 4000, 5000, 5000]);
  });
  it('waits the same for fixed backoff', () => {
    expect([1, 2, 3].map((a) => backoffMs({ ...policy, backoff: 'fixed' }, a))).toEqual([1000, 1000, 1000]);
  });
  it('spreads waits by at most ±50% with jitter', () => {
    const jittered = { ...policy, jitter: true };
    expect(backoffMs(jittered, 1, () => 0)).toBe(500);
    expect(backoffMs(jittered, 1, () => 0.999)).toBe(1499);
  });
  it('prefers the step retry, falls back to the workflow, and ignores the workflow under fail_fast', () => {
    const step = (retry?: RetryPolicy): ActionStep => ({
      kind: 'action',
      name: 's',
      slug: 's',
      path: 'steps[0]',
      action: { type: 'log' },
      ...(retry ? { retry } : {}),
    });
    const handling = (strategy: ErrorHandling['strategy']): ErrorHandling => ({ strategy, retry: policy, on_failure: [] });
    const own = { ...policy, attempts: 2 };
    expect(effectiveRetry(step(own), handling('retry_then_alert'))).toBe(own);
    expect(effectiveRetry(step(), handling('retry_then_alert'))).toBe(policy);
    expect(effectiveRetry(step(), handling('fail_fast'))).toBe(NO_RETRY);
    expect(effectiveRetry(step(own), handling('fail_fast'))).toBe(own);
  });
});
