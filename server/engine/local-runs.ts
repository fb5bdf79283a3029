// Runs executed by the process that accepted them: a synchronous webhook's run starts
// here the moment its intake commits, instead of after the jobs:insert wake-up and a
// worker's get_jobs (a commit of its own). The run's Graphile job exists all the
// same, locked by this runner's id in the intake transaction (sql/000024), so no
// worker takes it while it runs here, and if this process dies the heartbeat of
// another one releases the lock (heartbeat.ts) and a worker resumes the run from its
// checkpoints. The commit that finishes the run deletes its job (sql/000025); a run
// that parked or was released has its old job deleted afterwards, and one that met an
// engine error has it unlocked for a worker to retry.
//
// A sync run of a workflow without effects outside the run goes further: it executes
// before anything is written and is written once, finished (before-writing.ts); it
// takes a slot here like the others.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { InsertedRun } from '../queue/intake-batch.js';
import type { EndedRun } from '../core/run-endings.js';
import type { Services } from '../services.js';
import { runBeforeWriting, type UnwrittenRunInput } from './before-writing.js';
import { executeRun } from './executor.js';
import { justInserted } from './run-store.js';

export interface LocalRuns {
  /** The `locked_by` of the jobs this runner holds; the heartbeat advertises it with the worker pools. */
  readonly id: string;
  /** Takes a slot for one run; false when `limit` runs already execute here (queue the run as usual then). */
  reserve(): boolean;
  /** Gives back a slot that no run used (the intake locked no job: a deduplicated repeat). */
  unreserve(): void;
  /** Executes the run whose job `jobId` the intake locked for this runner, in a slot taken by reserve(). */
  start(runId: string, jobId: number, inserted: InsertedRun | null): void;
  /**
   * Executes a run of a workflow without effects before it is written, and writes it
   * finished (before-writing.ts). Null when the run is not done that way (no slot free,
   * the workflow has effects, or it could not end here): accept it the usual way then.
   */
  runBeforeWriting(input: UnwrittenRunInput, deadlineMs: number): Promise<EndedRun | null>;
  /** Aborts the runs in flight (they release themselves for another process) and waits for them. */
  stop(): Promise<void>;
}

/** As the worker pool's gracefulShutdownAbortTimeout (server/queue/worker.ts). */
const GRACE_MS = 10_000;

const COMPLETE_SQL = 'delete from graphile_worker._private_jobs where id = any($1::bigint[]) and locked_by = $2';
const UNLOCK_SQL = `update graphile_worker._private_jobs
   set locked_by = null, locked_at = null, run_at = now(), attempts = attempts + 1, last_error = $3
 where id = $1 and locked_by = $2`;

/** Deletes finished jobs in batches: what ends while a delete is in flight goes in the next one. */
function jobCompleter(pool: pg.Pool, id: string, onError: (err: unknown) => void) {
  let pending: number[] = [];
  let flushing: Promise<void> | null = null;
  const flush = async () => {
    while (pending.length > 0) {
      const batch = pending;
      pending = [];
      // A job left behind is harmless: a worker takes it after the lock is released and
      // finds its run ended. So a failed delete is logged, not retried.
      await pool.query({ name: 'kf_local_complete', text: COMPLETE_SQL, values: [batch, id] }).catch(onError);
    }
    flushing = null;
  };
  return {
    complete(jobId: number) {
      pending.push(jobId);
      flushing ??= flush();
    },
    drained: () => flushing ?? Promise.resolve(),
  };
}

export function createLocalRuns(services: Services, opts: { limit: number }): LocalRuns {
  const id = `khaosflow-local-${randomUUID()}`;
  const shutdown = new AbortController();
  const inFlight = new Set<Promise<void>>();
  let slots = 0;
  let stopping = false;
  const { logger, pool } = services;
  const completer = jobCompleter(pool, id, (err) => logger.warn({ err }, 'could not complete a locally executed run job'));

  const execute = async (runId: string, jobId: number, inserted: InsertedRun | null) => {
    try {
      let finished = false;
      await executeRun(services, runId, {
        signal: shutdown.signal,
        onFinished: () => {
          finished = true;
        },
        ...(inserted ? { inserted: justInserted(runId, inserted) } : {}),
      });
      // A finished run took its job with it (sql/000025); a parked, released or
      // cancelled one leaves it here (or a new one under its key) to delete.
      if (!finished) completer.complete(jobId);
    } catch (err) {
      logger.warn({ err, run: runId }, 'a run executed on accept met an engine error; a worker retries it');
      await pool.query(UNLOCK_SQL, [jobId, id, String((err as Error)?.message ?? err)]).catch((unlockErr) =>
        // Still locked by this live process: the heartbeat releases it once this process is gone.
        logger.error({ err: unlockErr, run: runId }, 'could not hand a run job back to the queue'),
      );
    } finally {
      slots--;
    }
  };

  const reserve = () => {
    if (stopping || slots >= opts.limit) return false;
    slots++;
    return true;
  };

  return {
    id,
    reserve,
    unreserve() {
      slots--;
    },
    start(runId, jobId, inserted) {
      const running = execute(runId, jobId, inserted);
      inFlight.add(running);
      void running.finally(() => inFlight.delete(running));
    },
    async runBeforeWriting(input, deadlineMs) {
      if (!reserve()) return null;
      const running = runBeforeWriting(services, input, { signal: shutdown.signal, deadlineMs });
      const settled = running.then(
        () => undefined,
        () => undefined,
      );
      inFlight.add(settled);
      try {
        return await running;
      } finally {
        slots--;
        inFlight.delete(settled);
      }
    },
    async stop() {
      // Like the worker pool: runs get a grace period to end, then their signal fires.
      stopping = true;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.all(inFlight), new Promise((resolve) => (timer = setTimeout(resolve, GRACE_MS)))]);
      clearTimeout(timer);
      shutdown.abort();
      await Promise.all(inFlight);
      await completer.drained();
    },
  };
}
