// Why a run stopped before finishing, other than a step failing: carried as an
// AbortSignal reason and rethrown through the step tree to the executor.

/**
 * `unwritten`: a run executing before it is written (before-writing.ts) reached a step
 * with effects outside the run; it stops there and is run again the usual way.
 */
export type InterruptKind = 'cancelled' | 'shutdown' | 'run_timeout' | 'unwritten';

export class RunInterrupt extends Error {
  constructor(
    readonly kind: InterruptKind,
    message: string,
  ) {
    super(message);
    this.name = 'RunInterrupt';
  }
}

export const isInterrupt = (v: unknown): v is RunInterrupt => v instanceof RunInterrupt;

/** A step that used up its retries (or could not retry); the executor fails the run with it. */
export class StepFailure extends Error {
  constructor(readonly record: { name: string; message: string; retryable: boolean; step: string; details?: unknown }) {
    super(record.message);
    this.name = 'StepFailure';
  }
}
