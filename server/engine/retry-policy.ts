// Which retry policy a step gets, and how long to wait before each retry.
import type { ErrorHandling, RetryPolicy, StepDefinition } from '../workflow/types.js';

export const NO_RETRY: RetryPolicy = { attempts: 1, backoff: 'fixed', delay_ms: 0, multiplier: 1, max_backoff_ms: 0, jitter: false };

/**
 * The step's own `retry` wins; otherwise the workflow's `error_handling.retry`
 * applies, except under `fail_fast`, where only a step's own retry does.
 */
export function effectiveRetry(step: StepDefinition, handling: ErrorHandling): RetryPolicy {
  if (step.kind === 'action' && step.retry) return step.retry;
  if (handling.strategy === 'fail_fast') return NO_RETRY;
  return handling.retry ?? NO_RETRY;
}

/**
 * Milliseconds to wait after failed attempt number `attempt` (1-based). Exponential:
 * delay x multiplier^(attempt-1), capped by max_backoff; jitter spreads each wait by
 * up to ±50% so many runs failing together do not retry in lockstep.
 * @example backoffMs({ ...policy, backoff: 'exponential', delay_ms: 1000, multiplier: 2 }, 3) // 4000
 */
export function backoffMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  let wait = policy.backoff === 'exponential' ? policy.delay_ms * policy.multiplier ** (attempt - 1) : policy.delay_ms;
  if (policy.max_backoff_ms > 0) wait = Math.min(wait, policy.max_backoff_ms);
  if (policy.jitter) wait = wait * (0.5 + random());
  return Math.max(0, Math.round(wait));
}
