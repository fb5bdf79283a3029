// Retry policies, written on a step, inside its action (as the seed's http_request does),
// or in the workflow's error_handling. The seed spells the same thing two ways
// (`attempts` on a step, `max_attempts` in error_handling; `backoff_multiplier`), so both
// spellings are read and normalized to one RetryPolicy.
import { z } from 'zod';
import type { RetryPolicy } from '../types.js';
import { duration } from '../../core/param-schemas.js';

export const retrySchema = z
  .strictObject({
    attempts: z.number().int().min(1).max(100).optional().meta({ description: 'Total tries including the first (default 3).' }),
    max_attempts: z.number().int().min(1).max(100).optional().meta({ description: 'Same as attempts.' }),
    backoff: z
      .enum(['fixed', 'exponential'])
      .optional()
      .meta({ description: 'Wait between tries: fixed, or multiplied each time (default exponential).' }),
    delay: duration.optional().meta({ description: 'Wait before the first retry (default 1s).' }),
    backoff_multiplier: z.number().min(1).max(10).optional().meta({ description: 'Factor for exponential backoff (default 2).' }),
    multiplier: z.number().min(1).max(10).optional().meta({ description: 'Same as backoff_multiplier.' }),
    max_backoff: duration.optional().meta({ description: 'Longest wait between tries (default 5m).' }),
    jitter: z.boolean().optional().meta({ description: 'Randomize each wait by up to ±50% (default false).' }),
  })
  .superRefine((retry, ctx) => {
    if (retry.attempts !== undefined && retry.max_attempts !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['max_attempts'], message: 'give attempts or max_attempts, not both' });
    }
    if (retry.backoff_multiplier !== undefined && retry.multiplier !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['multiplier'], message: 'give backoff_multiplier or multiplier, not both' });
    }
  });

export type RetryInput = z.output<typeof retrySchema>;

export const retryDefaults: RetryPolicy = {
  attempts: 3,
  backoff: 'exponential',
  delay_ms: 1000,
  multiplier: 2,
  max_backoff_ms: 300_000,
  jitter: false,
};

/** One spelling, every field filled in. */
export function normalizeRetry(retry: RetryInput): RetryPolicy {
  return {
    attempts: retry.attempts ?? retry.max_attempts ?? retryDefaults.attempts,
    backoff: retry.backoff ?? retryDefaults.backoff,
    delay_ms: retry.delay ?? retryDefaults.delay_ms,
    multiplier: retry.backoff_multiplier ?? retry.multiplier ?? retryDefaults.multiplier,
    max_backoff_ms: retry.max_backoff ?? retryDefaults.max_backoff_ms,
    jitter: retry.jitter ?? retryDefaults.jitter,
  };
}
