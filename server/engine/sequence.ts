// Runs a list of steps in order, dispatching on the kind of each: actions, flow
// actions (delay, call_workflow), conditions and loops. A failed step ends the list
// unless the step (or the workflow's `continue` strategy) says to go on.
import { cachedTemplate } from '../expression/template-cache.js';
import type { ConditionStep, LoopStep, StepDefinition } from '../workflow/types.js';
import { runActionStep, commitRecord } from './action-step.js';
import { toErrorRecord, NonRetryableError } from '../core/errors.js';
import { runCallWorkflow, runDelay } from './flow-steps.js';
import { StepFailure } from './interrupts.js';
import type { RunState, Scope } from './run-state.js';
import type { StepRecord } from './step-record.js';
import { isSuspend, SuspendRun } from './suspend.js';

/** Truthiness as workflow authors expect: empty lists, "", 0, null and false are false. */
export function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(truthy);
  if (value && typeof value === 'object') return Object.keys(value).length > 0;
  return Boolean(value);
}

function flowRecord(step: StepDefinition, path: string, type: string, output: unknown, error: unknown = null): StepRecord {
  const now = new Date().toISOString();
  return {
    step_path: path,
    step_slug: step.slug,
    step_name: step.name,
    action_type: type,
    attempt: 1,
    status: error ? 'failed' : 'succeeded',
    input: null,
    output,
    error,
    logs: null,
    started_at: now,
    finished_at: now,
  };
}

async function decide<T>(state: RunState, step: StepDefinition, path: string, type: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    const error = toErrorRecord(new NonRetryableError((err as Error).message), step.name);
    state.pending.push(flowRecord(step, path, type, null, state.redactor.redact(error)));
    throw new StepFailure({ ...error, step: step.name });
  }
}

async function runCondition(state: RunState, step: ConditionStep, scope: Scope): Promise<unknown> {
  const path = step.path + scope.iteration;
  const done = state.checkpoints.succeeded.get(path)?.output as { branch: 'then' | 'else'; value: unknown } | undefined;
  let decision = done;
  if (!decision) {
    const value =
      typeof step.if === 'boolean'
        ? step.if
        : await decide(state, step, path, 'condition', () => cachedTemplate(step.if as string).evaluate(scope.ctx, step.name));
    decision = { branch: truthy(value) ? 'then' : 'else', value };
    await commitRecord(state, flowRecord(step, path, 'condition', state.redactor.redact(decision)), true);
  }
  const result = await runSteps(state, step[decision.branch], scope);
  scope.ctx.steps[step.slug] = { status: 'succeeded', output: decision, result };
  return result;
}

async function loopItems(state: RunState, step: LoopStep, scope: Scope, path: string): Promise<unknown[]> {
  const over = Array.isArray(step.over)
    ? step.over
    : await decide(state, step, path, 'loop', () => cachedTemplate(step.over as string).evaluate(scope.ctx, step.name));
  if (over === null || over === undefined) return [];
  return Array.isArray(over) ? over : [over];
}

function mergeSuspends(state: RunState, suspends: SuspendRun[]): SuspendRun {
  const timed = suspends.filter((s) => s.wakeAt).sort((a, b) => a.wakeAt!.getTime() - b.wakeAt!.getTime());
  const records = [...suspends.flatMap((s) => s.records), ...state.pending.splice(0)];
  if (timed.length) return new SuspendRun(timed[0]!.reason, timed[0]!.wakeAt, null, records);
  return new SuspendRun(suspends[0]!.reason, null, suspends[0]!.waitingFor, records);
}

async function runLoop(state: RunState, step: LoopStep, scope: Scope): Promise<unknown> {
  const path = step.path + scope.iteration;
  const done = state.checkpoints.succeeded.get(path);
  if (done) {
    scope.ctx.steps[step.slug] = { status: 'succeeded', output: done.output, result: done.output };
    return done.output;
  }
  const items = await loopItems(state, step, scope, path);
  const results: unknown[] = new Array(items.length).fill(null);
  const suspends: SuspendRun[] = [];
  const failures: unknown[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length && failures.length === 0) {
      const index = next++;
      const iteration: Scope = {
        ctx: { ...scope.ctx, steps: { ...scope.ctx.steps }, item: items[index], index },
        iteration: `${scope.iteration}@${index}`,
      };
      try {
        results[index] = (await runSteps(state, step.steps, iteration)) ?? null;
      } catch (err) {
        if (isSuspend(err)) suspends.push(err);
        else failures.push(err);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(step.concurrency, items.length)) }, worker));
  if (failures.length) throw failures[0];
  if (suspends.length) throw mergeSuspends(state, suspends);
  await commitRecord(state, flowRecord(step, path, 'loop', state.redactor.redact(results)), true);
  scope.ctx.steps[step.slug] = { status: 'succeeded', output: results, result: results };
  return results;
}

async function runStep(state: RunState, step: StepDefinition, scope: Scope): Promise<unknown> {
  switch (step.kind) {
    case 'condition':
      return runCondition(state, step, scope);
    case 'loop':
      return runLoop(state, step, scope);
    case 'action':
      if (step.action.type === 'delay') return runDelay(state, step, scope);
      if (step.action.type === 'call_workflow') return runCallWorkflow(state, step, scope);
      return runActionStep(state, step, scope);
  }
}

/** Runs `steps` in order; returns the result of the last one run. */
export async function runSteps(state: RunState, steps: readonly StepDefinition[], scope: Scope): Promise<unknown> {
  let last: unknown = null;
  for (const step of steps) {
    try {
      last = await runStep(state, step, scope);
    } catch (err) {
      if (!(err instanceof StepFailure)) throw err;
      const goOn = step.continue_on_error === true || state.definition.error_handling.strategy === 'continue';
      if (!goOn) throw err;
      scope.ctx.steps[step.slug] = { status: 'failed', output: null, result: null, error: err.record };
      last = null;
    }
  }
  return last;
}
