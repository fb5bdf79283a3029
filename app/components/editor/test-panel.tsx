// Beside the editor: run what is in the editor now, once, with sample trigger data, and
// watch its steps arrive live; then re-run from any step with the earlier outputs kept.
import { useEffect, useState } from 'react';
import { isFinished, type TestStep, useTestRun } from '../../editor/use-test-run';
import { milliseconds, pretty, when } from '../../format';
import { BUTTON, INPUT } from '../notice';
import { StatusBadge } from '../status-badge';
import { JsonView } from './json-view';
import { TestEventListener } from './test-event-listener';

export interface PastRun {
  id: string;
  created_at: string;
  status: string;
  /** trigger.data of that run. */
  data: unknown;
}

export function TestPanel({
  text,
  pastRuns,
  captureKey,
  onSteps,
}: {
  text: () => string;
  pastRuns: PastRun[];
  captureKey: string;
  /** Told the test run's steps as they arrive (the page draws them on the flow builder). */
  onSteps?(steps: TestStep[]): void;
}) {
  const { run, start, rerunFrom } = useTestRun();
  useEffect(() => onSteps?.(run.steps), [run.steps, onSteps]);
  const [sample, setSample] = useState('{}');
  const [sampleError, setSampleError] = useState<string | null>(null);
  const finished = isFinished(run.status);

  const runTest = () => {
    let data: unknown;
    try {
      data = sample.trim() === '' ? {} : JSON.parse(sample);
    } catch (err) {
      setSampleError(`The sample data is not JSON: ${(err as Error).message}`);
      return;
    }
    setSampleError(null);
    void start(text(), data);
  };

  return (
    <section aria-label="Test" className="rounded-lg border border-slate-200 bg-white p-4 text-sm">
      <h2 className="font-semibold">Test</h2>
      <p className="mt-1 text-xs text-slate-500">Runs the text in the editor once (nothing is saved, no trigger is armed).</p>
      <TestEventListener captureKey={captureKey} text={text} onSample={(data) => setSample(pretty(data))} />
      {pastRuns.length > 0 ? (
        <label className="mt-3 block text-xs font-medium">
          Trigger data of a past run
          <select
            className={`${INPUT} mt-1 block w-full`}
            defaultValue=""
            onChange={(e) => {
              const past = pastRuns.find((r) => r.id === e.target.value);
              if (past) setSample(pretty(past.data));
            }}
          >
            <option value="">Choose a run…</option>
            {pastRuns.map((r) => (
              <option key={r.id} value={r.id}>
                {r.id.slice(0, 8)} · {r.status} · {when(r.created_at)}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <label className="mt-3 block text-xs font-medium" htmlFor="sample-data">
        Sample trigger data (JSON, becomes trigger.data)
      </label>
      <textarea
        id="sample-data"
        value={sample}
        onChange={(e) => setSample(e.target.value)}
        rows={5}
        spellCheck={false}
        className={`${INPUT} mt-1 block w-full font-mono text-xs`}
      />
      {sampleError ? (
        <p role="alert" className="mt-2 text-xs text-red-700">
          {sampleError}
        </p>
      ) : null}
      <button type="button" onClick={runTest} disabled={run.busy} className={`${BUTTON} mt-3`}>
        Run test
      </button>
      {run.refusal ? (
        <div role="alert" className="mt-3 rounded-md bg-red-50 px-3 py-2 text-xs text-red-700">
          {run.refusal}
          {run.problems.map((p) => (
            <div key={`${p.line}:${p.col}:${p.message}`}>
              line {p.line}, column {p.col}: {p.message}
            </div>
          ))}
        </div>
      ) : null}
      {run.runId ? (
        <div className="mt-4">
          <div className="flex items-center gap-2">
            <span className="text-xs text-slate-500">Test run</span>
            <a href={`/runs/${run.runId}`} className="truncate font-mono text-xs text-brand-600 underline">
              {run.runId}
            </a>
            <span role="status" aria-label="Test run status">
              <StatusBadge status={run.status ?? 'queued'} />
            </span>
          </div>
          {run.error && finished ? <JsonView label="Run error" value={run.error} /> : null}
          <ol aria-label="Test steps" className="mt-2 space-y-2">
            {run.steps.map((step) => (
              <StepRow key={step.id} step={step} canRerun={finished} onRerun={() => void rerunFrom(step.step)} />
            ))}
          </ol>
        </div>
      ) : null}
    </section>
  );
}

function StepRow({ step, canRerun, onRerun }: { step: TestStep; canRerun: boolean; onRerun(): void }) {
  return (
    <li aria-label={step.name} className="rounded-md border border-slate-200 p-2">
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-medium">{step.name}</span>
        <StatusBadge status={step.status} />
        {step.carried_over ? <span className="text-xs text-slate-500">carried over</span> : null}
        <span className="text-xs text-slate-500">{step.duration_ms === null ? '' : milliseconds(step.duration_ms)}</span>
        {canRerun ? (
          <button type="button" onClick={onRerun} className="ml-auto text-xs text-brand-600 underline">
            Re-run from here
          </button>
        ) : null}
      </div>
      <details className="mt-1">
        <summary className="cursor-pointer text-xs text-slate-500">Input, output, logs</summary>
        {step.input !== undefined ? <JsonView label="Input" value={step.input} /> : null}
        <JsonView label="Output" value={step.output} />
        {step.logs !== undefined ? <JsonView label="Logs" value={step.logs} /> : null}
        {step.error ? <JsonView label="Error" value={step.error} /> : null}
      </details>
    </li>
  );
}
