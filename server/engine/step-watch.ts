// Fast steps cost one write (their record, after they finish). A step still running
// after RUNNING_ROW_AFTER_MS also gets a "running" row, so the console shows what a
// run is doing, and from CANCEL_POLL_MS on it checks whether the run was cancelled.
import { RunInterrupt } from './interrupts.js';
import { insertRunningStep, runStatus } from './run-store.js';
import type { RunState } from './run-state.js';
import type { StepRecord } from './step-record.js';

const RUNNING_ROW_AFTER_MS = 250;
const CANCEL_POLL_MS = 2000;

export interface StepWatch {
  /** Stops the timers; resolves to the id of the running row when one was written. */
  stop(): Promise<number | undefined>;
}

export function watchStep(state: RunState, record: StepRecord, cancel: (reason: RunInterrupt) => void): StepWatch {
  let rowWrite: Promise<number | undefined> | null = null;
  const pool = state.services.pool;
  const rowTimer = setTimeout(() => {
    rowWrite = insertRunningStep(pool, state.run.id, record).catch((err: unknown) => {
      state.services.logger.warn({ err, run: state.run.id }, 'could not record a running step');
      return undefined;
    });
  }, RUNNING_ROW_AFTER_MS);
  const pollTimer = setInterval(() => {
    runStatus(pool, state.run.id)
      .then((status) => {
        if (status === 'cancelled') cancel(new RunInterrupt('cancelled', 'The run was cancelled.'));
      })
      .catch(() => undefined);
  }, CANCEL_POLL_MS);
  return {
    async stop() {
      clearTimeout(rowTimer);
      clearInterval(pollTimer);
      return rowWrite ? await rowWrite : undefined;
    },
  };
}
