// Waiting for runs to finish (webhooks answered with the run's result). A run this
// process executes answers its waiter the moment its finish commits (an in-process
// announcement, server/core/run-endings.ts). Runs ended elsewhere (another process,
// a cancel) are found by one shared poll loop: one query per tick for all waiters,
// none while nobody waits, so the engine's hot path gains no per-run LISTEN or trigger.
import type pg from 'pg';
import { type EndedRun, onRunEnded } from '../../core/run-endings.js';

export type FinishedRun = EndedRun;

export interface RunWaiter {
  /** The finished run, or null when it is still going after `timeoutMs` (or `signal` aborts). */
  wait(runId: string, timeoutMs: number, signal?: AbortSignal): Promise<FinishedRun | null>;
  stop(): void;
}

export function startRunWaiter(opts: { pool: pg.Pool; pollEveryMs?: number }): RunWaiter {
  const pollEveryMs = opts.pollEveryMs ?? 25;
  const waiting = new Map<string, Set<(run: FinishedRun | null) => void>>();
  let timer: NodeJS.Timeout | null = null;
  let polling = false;
  let stopped = false;

  const settle = (id: string, run: FinishedRun | null) => {
    const callbacks = waiting.get(id);
    waiting.delete(id);
    for (const cb of callbacks ?? []) cb(run);
  };

  const poll = async () => {
    timer = null;
    polling = true;
    if (waiting.size > 0) {
      try {
        const { rows } = await opts.pool.query<FinishedRun>({
          name: 'kf_finished_runs',
          text: `select id, status, output, error from khaosflow.runs
                  where id = any($1::uuid[]) and status in ('succeeded', 'failed', 'cancelled')`,
          values: [[...waiting.keys()]],
        });
        for (const run of rows) settle(run.id, run);
      } catch {
        // The database is briefly unreachable: the waiters' own timeouts still answer them.
      }
    }
    polling = false;
    if (waiting.size > 0 && !stopped) timer = setTimeout(() => void poll(), pollEveryMs);
  };

  return {
    wait(runId, timeoutMs, signal) {
      return new Promise((resolve) => {
        let done = false;
        const finish = (run: FinishedRun | null) => {
          if (done) return;
          done = true;
          clearTimeout(timeout);
          unsubscribe();
          signal?.removeEventListener('abort', onAbort);
          const callbacks = waiting.get(runId);
          callbacks?.delete(finish);
          if (callbacks?.size === 0) waiting.delete(runId);
          resolve(run);
        };
        const onAbort = () => finish(null);
        const unsubscribe = onRunEnded(runId, (run) => finish(run));
        const timeout = setTimeout(() => finish(null), timeoutMs);
        signal?.addEventListener('abort', onAbort, { once: true });
        waiting.set(runId, (waiting.get(runId) ?? new Set()).add(finish));
        if (!timer && !polling && !stopped) timer = setTimeout(() => void poll(), pollEveryMs);
      });
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      for (const id of [...waiting.keys()]) settle(id, null);
    },
  };
}
