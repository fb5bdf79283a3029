// The live view of one run (GET /api/runs/<id>/events, the console's test panel): a
// snapshot of the run and the steps already recorded, then every change, until the
// run ends.
//
// How changes are found: by reading the run's status and its new (or still running)
// step rows a few times a second, and at once when the run ends in this process
// (core/run-endings.ts, the same announcement webhook waiters use). Reading works for
// runs executed by any process; Postgres NOTIFY would too, but the executor would pay
// for it on every step of every run - the hot path is built for >= 1,500 runs/s with no
// per-run notification - while a watched run is rare and a watcher's reads are two
// indexed queries.
import { type RunStatusRow, runStatusRow, stepRowsSince, type StepEventRow } from '../../db/queries/run-events.js';
import { onRunEnded } from '../core/run-endings.js';
import { isFinalRunStatus } from '../engine/statuses.js';
import { notFound } from '../service-errors.js';
import type { Services } from '../services.js';

type Deps = Pick<Services, 'db'>;

/** How often a watcher reads the run while it is in flight. */
export const RUN_EVENTS_POLL_MS = 200;

export interface StepEvent {
  /** The step_runs row (one per attempt). */
  id: number;
  step: string;
  name: string;
  path: string;
  action_type: string | null;
  attempt: number;
  status: string;
  started_at: string;
  finished_at: string | null;
  duration_ms: number | null;
  output: unknown;
  error: unknown;
  /** Carried over from the run this one retries (not executed again). */
  carried_over: boolean;
}

export interface RunStatusEvent {
  id: string;
  status: string;
  error: unknown;
  started_at: string | null;
  finished_at: string | null;
}

export type RunEvent = { event: 'step'; data: StepEvent } | { event: 'run'; data: RunStatusEvent };

function stepEvent(row: StepEventRow): StepEvent {
  return {
    id: Number(row.id),
    step: row.step_slug,
    name: row.step_name,
    path: row.step_path,
    action_type: row.action_type,
    attempt: row.attempt,
    status: row.status,
    started_at: row.started_at.toISOString(),
    finished_at: row.finished_at?.toISOString() ?? null,
    duration_ms: row.finished_at ? row.finished_at.getTime() - row.started_at.getTime() : null,
    output: row.output,
    error: row.error,
    carried_over: row.carried_over,
  };
}

function runEvent(run: RunStatusRow): RunEvent {
  return {
    event: 'run',
    data: {
      id: run.id,
      status: run.status,
      error: run.error ?? null,
      started_at: run.started_at?.toISOString() ?? null,
      finished_at: run.finished_at?.toISOString() ?? null,
    },
  };
}

/** Resolves after `ms`, or sooner when `wake` is called or `signal` aborts. */
function pause(ms: number, signal: AbortSignal | undefined, onWake: (wake: () => void) => void): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    onWake(done);
  });
}

/**
 * The run's events: first a `run` event and a `step` event per recorded step attempt,
 * then each change; ends after the `run` event of its final status (or when `signal` aborts).
 * ServiceError `not_found` before the first event when there is no such run.
 * @example for await (const e of runEvents(services, runId, { signal })) send(e.event, e.data);
 */
export async function* runEvents(
  deps: Deps,
  runId: string,
  opts: { signal?: AbortSignal; pollMs?: number } = {},
): AsyncGenerator<RunEvent, void, undefined> {
  const first = await runStatusRow(deps.db, runId);
  if (!first) throw notFound(`run ${runId}`);
  let wake: (() => void) | null = null;
  const stopListening = onRunEnded(first.id, () => wake?.());
  try {
    let lastStatus: string | null = null;
    let afterId = 0;
    const running = new Map<number, string>();
    let run = first;
    for (;;) {
      // The run is read before its steps: a run that reads as ended has all its step
      // rows written (they are written in the statement that ends it). Its status comes
      // first, except the final one, which comes last, after the steps that led to it.
      const ended = isFinalRunStatus(run.status);
      const statusChanged = run.status !== lastStatus;
      lastStatus = run.status;
      if (statusChanged && !ended) yield runEvent(run);
      const steps = await stepRowsSince(deps.db, run.id, afterId, [...running.keys()]);
      for (const row of steps) {
        const id = Number(row.id);
        afterId = Math.max(afterId, id);
        if (running.get(id) === row.status) continue;
        if (row.status === 'running') running.set(id, row.status);
        else running.delete(id);
        yield { event: 'step', data: stepEvent(row) };
      }
      if (statusChanged && ended) yield runEvent(run);
      if (ended || opts.signal?.aborted) return;
      await pause(opts.pollMs ?? RUN_EVENTS_POLL_MS, opts.signal, (w) => {
        wake = w;
      });
      wake = null;
      if (opts.signal?.aborted) return;
      const next = await runStatusRow(deps.db, run.id);
      if (!next) return;
      run = next;
    }
  } finally {
    stopListening();
  }
}
