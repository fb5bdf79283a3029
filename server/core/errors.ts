// The error vocabulary of steps: the type of error an action throws decides what the
// engine does next (retry, retry later, or fail the step at once).

/** A step failure. `retryable: false` skips the remaining retry attempts. */
export class StepError extends Error {
  readonly retryable: boolean;
  readonly details: unknown;
  constructor(message: string, opts: { retryable?: boolean; details?: unknown; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'StepError';
    this.retryable = opts.retryable ?? true;
    this.details = opts.details;
  }
}

/** Retrying cannot help: bad input, 4xx answers, validation errors, missing connections. */
export class NonRetryableError extends StepError {
  constructor(message: string, opts: { details?: unknown; cause?: unknown } = {}) {
    super(message, { ...opts, retryable: false });
    this.name = 'NonRetryableError';
  }
}

/** The remote side asked us to wait (HTTP 429/503 with Retry-After): the next attempt waits at least this long. */
export class RetryAfterError extends StepError {
  constructor(
    message: string,
    readonly retryAfterMs: number,
    opts: { details?: unknown; cause?: unknown } = {},
  ) {
    super(message, { ...opts, retryable: true });
    this.name = 'RetryAfterError';
  }
}

/** JSON form stored in step_runs.error / runs.error. */
export interface ErrorRecord {
  name: string;
  message: string;
  retryable: boolean;
  step?: string;
  details?: unknown;
  stack?: string;
}

export function toErrorRecord(err: unknown, step?: string): ErrorRecord {
  if (err instanceof StepError) {
    return {
      name: err.name,
      message: err.message,
      retryable: err.retryable,
      ...(step ? { step } : {}),
      ...(err.details === undefined ? {} : { details: err.details }),
    };
  }
  if (err instanceof Error) return { name: err.name, message: err.message, retryable: true, ...(step ? { step } : {}) };
  return { name: 'Error', message: String(err), retryable: true, ...(step ? { step } : {}) };
}

export function isRetryable(err: unknown): boolean {
  return err instanceof StepError ? err.retryable : true;
}
