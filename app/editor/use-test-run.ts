// A test run followed live: start it (draft text + sample data), read its step and run
// events from GET /api/runs/<id>/events, and when it ends fetch the steps' input and
// logs, which the events leave out to stay small. "Re-run from here" follows the new run.
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiRefusal, retryFromStep, runStepDetails, startTestRun } from './api';
import type { Problem } from './diagnostics';

export interface TestStep {
  /** The step_runs row: one per attempt. */
  id: number;
  step: string;
  /** The step's path, the flow canvas's node id (`steps[1].condition.then[0]`, loop iterations `@n`). */
  path: string;
  name: string;
  action_type: string | null;
  attempt: number;
  status: string;
  duration_ms: number | null;
  output: unknown;
  error: unknown;
  carried_over: boolean;
  input?: unknown;
  logs?: unknown;
}

export interface TestRunState {
  runId: string | null;
  status: string | null;
  error: unknown;
  steps: TestStep[];
  /** Why the run could not start (or the stream broke). */
  refusal: string | null;
  problems: Problem[];
  busy: boolean;
}

const IDLE: TestRunState = { runId: null, status: null, error: null, steps: [], refusal: null, problems: [], busy: false };
const FINAL = new Set(['succeeded', 'failed', 'cancelled']);

export const isFinished = (status: string | null) => status !== null && FINAL.has(status);

export function useTestRun() {
  const [state, setState] = useState<TestRunState>(IDLE);
  const stream = useRef<EventSource | null>(null);

  const follow = useCallback((runId: string) => {
    stream.current?.close();
    setState({ ...IDLE, runId, status: 'queued', busy: true });
    const events = new EventSource(`/api/runs/${encodeURIComponent(runId)}/events`);
    stream.current = events;
    events.addEventListener('step', (e) => {
      const step = JSON.parse((e as MessageEvent<string>).data) as TestStep;
      setState((s) => {
        const steps = s.steps.some((x) => x.id === step.id) ? s.steps.map((x) => (x.id === step.id ? step : x)) : [...s.steps, step];
        return { ...s, steps };
      });
    });
    events.addEventListener('run', (e) => {
      const run = JSON.parse((e as MessageEvent<string>).data) as { status: string; error: unknown };
      setState((s) => ({ ...s, status: run.status, error: run.error }));
      if (!FINAL.has(run.status)) return;
      // The server closes the stream now; EventSource would reconnect and replay it all.
      events.close();
      void runStepDetails(runId).then(
        (details) =>
          setState((s) => ({
            ...s,
            busy: false,
            steps: s.steps.map((step) => {
              const detail = details.find((d) => d.id === step.id);
              return detail ? { ...step, input: detail.input, logs: detail.logs } : step;
            }),
          })),
        (err: Error) => setState((s) => ({ ...s, busy: false, refusal: `Could not read the run's input and logs: ${err.message}` })),
      );
    });
    events.addEventListener('error', () => {
      if (events.readyState === EventSource.CLOSED)
        setState((s) => ({ ...s, busy: false, refusal: s.refusal ?? 'The live view stopped; open the run page to see how it went.' }));
    });
  }, []);

  useEffect(() => () => stream.current?.close(), []);

  const refuse = useCallback(
    (err: unknown) =>
      setState((s) => ({
        ...s,
        busy: false,
        refusal: (err as Error).message,
        problems: err instanceof ApiRefusal ? err.problems : [],
      })),
    [],
  );

  const start = useCallback(
    async (yaml: string, data: unknown) => {
      setState({ ...IDLE, busy: true });
      try {
        follow(await startTestRun(yaml, data));
      } catch (err) {
        refuse(err);
      }
    },
    [follow, refuse],
  );

  const rerunFrom = useCallback(
    async (step: string) => {
      if (!state.runId) return;
      try {
        follow(await retryFromStep(state.runId, step));
      } catch (err) {
        refuse(err);
      }
    },
    [follow, refuse, state.runId],
  );

  return { run: state, start, rerunFrom };
}
