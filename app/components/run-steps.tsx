// The run page's list of recorded steps (one row per attempt or loop iteration), each
// with its error, input, output and logs. A node clicked on the run's canvas opens the
// rows recorded for that node and scrolls to the first, so the picture leads to the data.
import { useEffect, useRef } from 'react';
import { duration, pretty } from '../format';
import { StatusBadge } from './status-badge';

export interface RunStepRow {
  id: number | string;
  path: string;
  name: string;
  action_type: string | null;
  attempt: number;
  carried_over: boolean;
  status: string;
  started_at: string;
  finished_at: string | null;
  error: unknown;
  input: unknown;
  output: unknown;
  logs: unknown;
}

/** The canvas node a recorded step belongs to: loop iterations are recorded as `<path>@<n>`. */
export const nodeOfStep = (path: string) => path.replace(/@\d+/g, '');

export function Json({ label, value }: { label: string; value: unknown }) {
  if (value === null || value === undefined) return null;
  return (
    <div className="mt-2">
      <div className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</div>
      <pre className="mt-1 max-h-80 overflow-auto rounded-md bg-slate-900 p-3 text-xs text-slate-100">{pretty(value)}</pre>
    </div>
  );
}

export function RunSteps({ steps, chosen }: { steps: RunStepRow[]; chosen: string | null }) {
  const list = useRef<HTMLOListElement>(null);
  // Opening is done on the element: the rows stay <details> the reader can close again.
  useEffect(() => {
    if (!chosen || !list.current) return;
    const rows = [...list.current.querySelectorAll<HTMLDetailsElement>('details[data-node]')].filter((row) => row.dataset.node === chosen);
    for (const row of rows) row.open = true;
    rows[0]?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  }, [chosen]);

  const notRun = chosen && chosen !== 'trigger' && !steps.some((s) => nodeOfStep(s.path) === chosen);
  return (
    <>
      {steps.length === 0 ? <p className="mt-2 text-sm text-slate-600">No step has run yet.</p> : null}
      {notRun ? (
        <p role="status" aria-label="Chosen step" className="mt-2 text-sm text-slate-600">
          The step chosen on the canvas did not run in this run (a branch not taken, or the run ended before it).
        </p>
      ) : null}
      <ol ref={list} aria-label="Steps of this run" className="mt-2 space-y-2">
        {steps.map((s) => {
          const isChosen = chosen !== null && nodeOfStep(s.path) === chosen;
          return (
            <li
              key={s.id}
              className={`scroll-mt-4 rounded-lg border bg-white ${isChosen ? 'border-sky-500 ring-2 ring-sky-200' : 'border-slate-200'}`}
              data-chosen={isChosen ? 'true' : undefined}
            >
              <details open={s.status === 'failed'} data-node={nodeOfStep(s.path)}>
                <summary className="flex cursor-pointer items-center gap-3 px-4 py-2 text-sm">
                  <span className="font-medium">{s.name}</span>
                  <span className="font-mono text-xs text-slate-500">{s.action_type}</span>
                  {s.attempt > 1 ? <span className="text-xs text-slate-500">attempt {s.attempt}</span> : null}
                  {s.carried_over ? <span className="text-xs text-slate-500">carried over</span> : null}
                  <span className="ml-auto text-xs text-slate-500">{duration(s.started_at, s.finished_at)}</span>
                  <StatusBadge status={s.status} />
                </summary>
                <div className="border-t border-slate-100 px-4 pb-4">
                  <Json label="Error" value={s.error} />
                  <Json label="Input" value={s.input} />
                  <Json label="Output" value={s.output} />
                  <Json label="Logs" value={s.logs} />
                </div>
              </details>
            </li>
          );
        })}
      </ol>
    </>
  );
}
