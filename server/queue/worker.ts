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

export async function startQueueWorker(opts: {
  pool: pg.Pool;
  logger: Logger;
  concurrency: number;
  taskList: TaskList;
}): Promise<QueueWorker> {
  const ids = new Set<string>();
  const events: WorkerEvents = new EventEmitter() as WorkerEvents;
  events.on('pool:create', ({ workerPool }) => ids.add(workerPool.id));
  events.on('pool:release', ({ workerPool }) => ids.delete(workerPool.id));
  const runner = await run({
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
  return {
    runner,
    poolIds: () => [...ids],
    async stop() {
      await runner.stop();
    },
  };
}
