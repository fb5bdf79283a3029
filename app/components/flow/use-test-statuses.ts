// The latest test run's step statuses for the flow builder: the test panel reports its
// steps as they arrive (onSteps), the builder draws them per node (runs).
import { useCallback, useState } from 'react';
import { type StepRunSummary, testStepRuns } from '../../flow/graph';

export function useTestStatuses(): [Record<string, StepRunSummary> | undefined, (steps: Parameters<typeof testStepRuns>[0]) => void] {
  const [runs, setRuns] = useState<Record<string, StepRunSummary>>();
  // Stable, so the test panel's effect runs when its steps change, not on every render.
  const onSteps = useCallback(
    (steps: Parameters<typeof testStepRuns>[0]) => setRuns(steps.length > 0 ? testStepRuns(steps) : undefined),
    [],
  );
  return [runs, onSteps];
}
