// The Graphile Worker runner of this process. Jobs are claimed in batches (local
// queue) and completed in batches, which is what lets one Postgres drain tens of
// thousands of jobs a second; the engine's crash recovery (heartbeats) releases the
// locks a killed process leaves behind, so batching does not cost durability.
import { run, Logger as GraphileLogger, type Runner, type TaskList, type WorkerEvents } from 'graphile-worker';
import { EventEmitter } from 'node:events';
import type pg from 'pg';
import type { Logger } from '../logger.js';

export interface QueueWorker {
  /** Graphile's worker-pool ids: the `locked_by` value of jobs this process holds. */
  poolIds(): string[];
  /** Stops taking jobs, lets running ones finish (or release at the abort timeout). */
  stop(): Promise<void>;
  runner: Runner;
}

function graphileLogger(logger: Logger): GraphileLogger {
  return new GraphileLogger((scope) => (level, message, meta) => {
    const fields = { scope: { label: scope.label, taskIdentifier: scope.taskIdentifier, jobId: scope.jobId }, ...meta };
    if (level === 'error') logger.error(fields, message);
    else if (level === 'warning') logger.warn(fields, message);
    else if (level === 'info') logger.debug(fields, message);
    else logger.trace(fields, message);
  });
}

// Graphile stops a worker pool for good when it cannot record finished or failed jobs
// (its batch retries last well under a second), which a database restart causes. The
// process lives on, so without a new runner it would process nothing again, and the
// jobs that pool had locked would stay locked while this process keeps heartbeating.
const RESTART_EVERY_MS = 1_000;

const UNLOCK_SQL = 'select graphile_worker.force_unlock_workers($1::text[])';

// When such a pool could not even hand its locally queued jobs back, Graphile rejects a
// promise nobody awaits, and Node ends the whole process on it: the web server with it
// (seen as connection resets in the Postgres-restart fault test). Those jobs stay
// locked by the dead pool and recover() unlocks them, so that one rejection is logged;
// every other unhandled rejection still ends the process as before.
const LOST_LOCAL_JOBS = /^Error occurred whilst returning jobs from local queue to database queue/;
let guarding = false;
function survivePoolLoss(logger: Logger): void {
  if (guarding) return;
  guarding = true;
  process.on('unhandledRejection', (reason) => {
    if (reason instanceof Error && LOST_LOCAL_JOBS.test(reason.message)) {
      logger.warn({ err: reason }, 'the job runner could not hand its queued jobs back; they are unlocked once the database answers');
      return;
    }
    throw reason;
  });
}

export async function startQueueWorker(opts: {
  pool: pg.Pool;
  logger: Logger;
  concurrency: number;
  taskList: TaskList;
}): Promise<QueueWorker> {
  // Pools that may hold job locks: the live one, and a lost one until its jobs are
  // unlocked. The heartbeat advertises all of them, so if this process dies meanwhile
  // another one releases them.
  survivePoolLoss(opts.logger);
  const ids = new Set<string>();
  let stopping = false;
  const events: WorkerEvents = new EventEmitter() as WorkerEvents;
  events.on('pool:create', ({ workerPool }) => ids.add(workerPool.id));
  events.on('pool:release', ({ workerPool }) => {
    // A pool stopped by us has returned its jobs; one that died on an error may not have.
    if (stopping) ids.delete(workerPool.id);
  });
  const start = () =>
    run({
      pgPool: opts.pool,
      taskList: opts.taskList,
      concurrency: opts.concurrency,
      noHandleSignals: true,
      pollInterval: 1000,
      logger: graphileLogger(opts.logger),
      events,
      preset: {
        worker: {
          localQueue: { size: Math.max(2, opts.concurrency * 2) },
          completeJobBatchDelay: 0,
          failJobBatchDelay: 0,
          // Runs get this long to reach a checkpoint after shutdown starts, before
          // their AbortSignal fires and they release themselves.
          gracefulShutdownAbortTimeout: 10_000,
        },
      },
    });

  const pause = () => new Promise((r) => setTimeout(r, RESTART_EVERY_MS));

  /** Unlocks the jobs of pools that died, then starts a new runner; retries until the database answers. */
  const recover = async (reason: unknown) => {
    const lost = [...ids];
    opts.logger.warn(
      { err: reason, pools: lost },
      'the job runner stopped after a database error; its jobs are unlocked and a new runner starts once the database answers',
    );
    while (!stopping) {
      try {
        await opts.pool.query(UNLOCK_SQL, [lost]);
        for (const id of lost) ids.delete(id);
        break;
      } catch {
        await pause();
      }
    }
    while (!stopping) {
      try {
        const next = await start();
        if (stopping) {
          await next.stop();
          return;
        }
        supervise(next);
        opts.logger.info('job runner restarted');
        return;
      } catch {
        await pause();
      }
    }
  };

  let current: Runner;
  const supervise = (runner: Runner) => {
    current = runner;
    runner.promise.then(
      () => {
        if (!stopping) void recover(new Error('the runner stopped by itself'));
      },
      (err) => {
        if (!stopping) void recover(err);
      },
    );
  };
  supervise(await start());

  return {
    get runner() {
      return current;
    },
    poolIds: () => [...ids],
    async stop() {
      stopping = true;
      await current.stop().catch((err) => opts.logger.warn({ err }, 'the job runner did not stop cleanly'));
    },
  };
}
