// Which attempts a "re-run from step X" carries over, over the step tree: earlier steps
// (their latest success), condition decisions around X, never X itself, the steps after
// it, or a loop around it.
import { describe, expect, it } from 'vitest';
import { carriedSteps, stepsInOrder, type RecordedStep } from '../../server/runs/retry-from-step.js';
import { parseWorkflow } from '../../server/workflow/index.js';
import type { WorkflowDefinition } from '../../server/workflow/types.js';

function definition(yaml: string): WorkflowDefinition {
  const parsed = parseWorkflow(yaml, { file: 'w.yaml' });
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.message).join('; '));
  return parsed.workflow;
}

const TREE = definition(`name: Tree
steps:
  - name: Load
    action: { type: log, message: load }
  - name: Big
    condition:
      if: "{{trigger.data.n > 10}}"
      then:
        - name: Approve
          action: { type: log, message: approve }
        - name: Notify
          action: { type: log, message: notify }
      else:
        - name: Skip
          action: { type: log, message: skip }
  - name: Each
    loop:
      over: "{{trigger.data.items}}"
      steps:
        - name: Fetch
          action: { type: log, message: fetch }
        - name: Store
          action: { type: log, message: store }
  - name: Done
    action: { type: log, message: done }
`);

let nextId = 1;
const rec = (path: string, slug: string, status = 'succeeded', attempt = 1): RecordedStep => ({
  id: nextId++,
  path,
  slug,
  status,
  attempt,
});

const RUN: RecordedStep[] = [
  rec('steps[0]', 'load', 'failed', 1),
  rec('steps[0]', 'load', 'succeeded', 2),
  rec('steps[1]', 'big'),
  rec('steps[1].condition.then[0]', 'approve'),
  rec('steps[1].condition.then[1]', 'notify'),
  rec('steps[2].loop.steps[0]@0', 'fetch'),
  rec('steps[2].loop.steps[1]@0', 'store'),
  rec('steps[2].loop.steps[0]@1', 'fetch'),
  rec('steps[2].loop.steps[1]@1', 'store'),
  rec('steps[2]', 'each'),
  rec('steps[3]', 'done'),
];
const idsOf = (...indexes: number[]) => indexes.map((i) => RUN[i]!.id);

describe('carried steps', () => {
  it('lists the step tree in document order, then before else', () => {
    expect(stepsInOrder(TREE.steps).map((s) => s.slug)).toEqual([
      'load',
      'big',
      'approve',
      'notify',
      'skip',
      'each',
      'fetch',
      'store',
      'done',
    ]);
  });

  it('carries the latest success of every step before a top-level step', () => {
    expect(carriedSteps(TREE.steps, 'done', RUN)).toEqual(idsOf(1, 2, 3, 4, 5, 6, 7, 8, 9));
    expect(carriedSteps(TREE.steps, 'load', RUN)).toEqual([]);
  });

  it('keeps the decision of a condition around the step and the branch steps before it', () => {
    expect(carriedSteps(TREE.steps, 'notify', RUN)).toEqual(idsOf(1, 2, 3));
  });

  it('runs a loop around the step again, keeping in each iteration the steps before it', () => {
    expect(carriedSteps(TREE.steps, 'store', RUN)).toEqual(idsOf(1, 2, 3, 4, 5, 7));
    expect(carriedSteps(TREE.steps, 'each', RUN)).toEqual(idsOf(1, 2, 3, 4));
  });

  it('answers null for a step the workflow does not have, and skips records of other steps at the same path', () => {
    expect(carriedSteps(TREE.steps, 'nope', RUN)).toBeNull();
    expect(carriedSteps(TREE.steps, 'done', [rec('steps[0]', 'renamed')])).toEqual([]);
  });
});
