// Thrown through the step tree when a run must stop and continue later without
// holding a worker slot: a delay, a retry backoff too long to wait in-process, or a
// child run to wait for. The executor persists the wait and releases the job.
import type { StepRecord } from './step-record.js';

export class SuspendRun {
  constructor(
    readonly reason: 'delay' | 'retry_backoff' | 'child_run',
    /** When to continue; null = when woken (a child run finishing). */
    readonly wakeAt: Date | null,
    /** The child run waited for. */
    readonly waitingFor: string | null = null,
    /** Step records to write together with the wait (a finished delay, a failed attempt). */
    readonly records: StepRecord[] = [],
  ) {}
}

export const isSuspend = (v: unknown): v is SuspendRun => v instanceof SuspendRun;
