// Executes one run: take it, run its steps from the first one without a success
// checkpoint, and end it (succeeded, failed, parked or released). Called by the
// Graphile task `run`; everything it writes is guarded so a cancelled run stays
// cancelled and a finished run is never executed twice.
import { announceRunEnded, endedAsStored, isAwaited } from '../core/run-endings.js';
import type { Services } from '../services.js';
import { loadVersion, type LoadedVersion } from './definitions.js';
import { toErrorRecord, type ErrorRecord } from '../core/errors.js';
import { isInterrupt, StepFailure } from './interrupts.js';
import { runOnFailure } from './on-failure.js';
import { runController, timeoutError } from './run-controller.js';
import { assignQueues, QueueKeyError } from './queue-key.js';
import { createRunState, ensureClaimed, type RunState } from './run-state.js';
import {
  claimRun,
  finishRun,
  loadCheckpoints,
  readRun,
  releaseRun,
  runStatus,
  suspendRun,
  writeSteps,
  type ClaimedRun,
} from './run-store.js';
import { runSteps } from './sequence.js';
import { isFinalRunStatus } from './statuses.js';
import { isSuspend } from './suspend.js';

export interface ExecuteOptions {
  /** Aborts when the worker shuts down: the run is released, not failed. */
  signal: AbortSignal;
  /** The run as its intake just inserted it (local runs): the first pass starts without reading it. */
  inserted?: ClaimedRun;
  /** Called once a finish of this run committed (with a local runner's job: sql/000025 deleted it). */
  onFinished?: () => void;
  /** The job's last attempt: an infrastructure error now fails the run instead of leaving it to a retry. */
  finalAttempt?: boolean;
}

async function fail(state: RunState, error: ErrorRecord, onFinished?: () => void): Promise<void> {
  await runOnFailure(state, error);
  const stored = state.redactor.redact(error);
  const ended = await finishRun(
    state.services.pool,
    state.run.id,
    { status: 'failed', output: null, error: stored, startedAt: state.startedAt },
    state.pending.splice(0),
  );
  onFinished?.();
  if (ended) {
    countRun(state, 'failed');
    announce(state.run.id, 'failed', null, stored);
  }
}

/** Tells a waiter in this process that the run ended, with output and error as stored (JSON round trip). */
function announce(runId: string, status: 'succeeded' | 'failed', output: unknown, error: unknown): void {
  if (!isAwaited(runId)) return;
  announceRunEnded(endedAsStored(runId, status, output, error));
}

/** Counts a run this process ended (finishRun returned true: it was still running). */
function countRun(state: RunState, status: 'succeeded' | 'failed'): void {
  state.services.metrics.runFinished(status, (Date.now() - state.startedAt.getTime()) / 1000);
}

/** One pass over the run; returns true when the run must be executed again at once. */
async function executeOnce(
  services: Services,
  run: ClaimedRun,
  version: LoadedVersion,
  claimed: boolean,
  opts: ExecuteOptions,
): Promise<boolean> {
  const { pool } = services;
  const { controller, dispose } = runController(run.started_at ?? new Date(), version.timeoutMs, opts.signal);
  try {
    const needCheckpoints = run.attempt > 1 || run.retry_of !== null;
    const checkpoints = needCheckpoints ? await loadCheckpoints(pool, run.id) : null;
    const state = await createRunState({ services, run, version, checkpoints, controller, claimed });
    try {
      const output = state.redactor.redact((await runSteps(state, version.definition.steps, { ctx: state.base, iteration: '' })) ?? null);
      const ended = await finishRun(
        pool,
        run.id,
        { status: 'succeeded', output, error: null, startedAt: state.startedAt },
        state.pending.splice(0),
      );
      opts.onFinished?.();
      if (ended) {
        countRun(state, 'succeeded');
        announce(run.id, 'succeeded', output, null);
      }
      return false;
    } catch (err) {
      if (isSuspend(err)) {
        await ensureClaimed(state);
        const parked = await suspendRun(pool, run.id, { wakeAt: err.wakeAt, waitingFor: err.waitingFor }, [
          ...err.records,
          ...state.pending.splice(0),
        ]);
        // Not parked: the child run already finished (carry on now) or the run was cancelled.
        return !parked && (await runStatus(pool, run.id)) === 'running';
      }
      if (err instanceof StepFailure) {
        await fail(state, err.record, opts.onFinished);
        return false;
      }
      if (isInterrupt(err)) {
        if (err.kind === 'shutdown') await releaseRun(pool, run.id, state.pending.splice(0));
        else if (err.kind === 'cancelled') await writeSteps(pool, run.id, state.pending.splice(0));
        else await fail(state, timeoutError(version.timeoutMs ?? 0), opts.onFinished);
        return false;
      }
      // An engine or database error (Postgres restarting, say): the job is retried and
      // the run resumes from its checkpoints; on the job's last attempt the run fails.
      if (opts.finalAttempt) await fail(state, toErrorRecord(err), opts.onFinished);
      throw err;
    }
  } finally {
    dispose();
  }
}

export async function executeRun(services: Services, runId: string, opts: ExecuteOptions): Promise<void> {
  const { pool } = services;
  for (let pass = 0; ; pass++) {
    let run = pass === 0 && opts.inserted ? opts.inserted : await readRun(pool, runId);
    if (!run || isFinalRunStatus(run.status)) return;
    if (run.status === 'waiting' && run.wake_at && run.wake_at.getTime() > Date.now() + 1000) return;
    const version = await loadVersion(pool, run.workflow_id, run.version);
    if (version.queueKey && !run.queue_name) {
      // Started without its queue (from SQL): its key is evaluated here, once.
      try {
        run.queue_name = await assignQueues(pool, run, version);
      } catch (err) {
        if (!(err instanceof QueueKeyError)) throw err;
        if (await finishRun(pool, runId, { status: 'failed', output: null, error: toErrorRecord(err), startedAt: new Date() }, []))
          services.metrics.runFinished('failed', 0);
        opts.onFinished?.();
        return;
      }
    }
    // A fresh run outside any queue starts unclaimed (see RunState.claimed); anything
    // else - queue admission, resuming, a waiting run - needs the claim first.
    const claim = run.queue_name !== null || run.status !== 'queued' || run.attempt > 0 || run.retry_of !== null || pass > 0;
    if (claim) {
      run = await claimRun(pool, runId);
      if (!run) return;
    }
    if (!(await executeOnce(services, run, version, claim, opts))) return;
  }
}
