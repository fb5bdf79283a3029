// Steps that steer the run instead of touching the outside world: a durable delay
// and calling another workflow (waiting for it or not). Both park the run with
// SuspendRun so waiting never holds a worker slot.
import { sql } from 'kysely';
import type { ActionStep } from '../workflow/types.js';
import { commitRecord } from './action-step.js';
import { NonRetryableError, toErrorRecord } from '../core/errors.js';
import { enqueueRun } from '../queue/enqueue-run.js';
import { StepFailure } from './interrupts.js';
import { resolveParams } from './params.js';
import { ensureClaimed, type RunState, type Scope } from './run-state.js';
import type { StepRecord } from './step-record.js';
import { SuspendRun } from './suspend.js';

function record(step: ActionStep, path: string, status: 'succeeded' | 'failed', fields: Partial<StepRecord>): StepRecord {
  const now = new Date().toISOString();
  return {
    step_path: path,
    step_slug: step.slug,
    step_name: step.name,
    action_type: step.action.type,
    attempt: 1,
    status,
    input: null,
    output: null,
    error: null,
    logs: null,
    started_at: now,
    finished_at: now,
    ...fields,
  };
}

function fail(state: RunState, step: ActionStep, path: string, message: string, input: unknown = null): never {
  const error = toErrorRecord(new NonRetryableError(message), step.name);
  state.pending.push(record(step, path, 'failed', { error: state.redactor.redact(error), input }));
  throw new StepFailure({ ...error, step: step.name });
}

function restore(state: RunState, step: ActionStep, scope: Scope, path: string): { found: boolean; result: unknown } {
  const done = state.checkpoints.succeeded.get(path);
  if (!done) return { found: false, result: undefined };
  scope.ctx.steps[step.slug] = { status: 'succeeded', output: done.output, result: done.output };
  return { found: true, result: done.output };
}

async function params(state: RunState, step: ActionStep, scope: Scope, path: string): Promise<Record<string, unknown>> {
  try {
    return await resolveParams(step.action, undefined, scope.ctx, step.name);
  } catch (err) {
    return fail(state, step, path, (err as Error).message);
  }
}

/** `delay`: records itself as done until the wake time, then parks the run until then. */
export async function runDelay(state: RunState, step: ActionStep, scope: Scope): Promise<unknown> {
  const path = step.path + scope.iteration;
  const restored = restore(state, step, scope, path);
  if (restored.found) return restored.result;
  const p = await params(state, step, scope, path);
  const startedAt = new Date();
  const until = p.until !== undefined ? new Date(String(p.until)) : new Date(startedAt.getTime() + Number(p.duration));
  if (Number.isNaN(until.getTime()))
    fail(state, step, path, `delay needs a valid time in "until" (ISO 8601), got ${JSON.stringify(p.until ?? p.duration)}.`, p);
  const output = { until: until.toISOString(), waited_ms: Math.max(0, until.getTime() - startedAt.getTime()) };
  const done = record(step, path, 'succeeded', {
    input: p,
    output,
    started_at: startedAt.toISOString(),
    finished_at: until > startedAt ? until.toISOString() : startedAt.toISOString(),
  });
  scope.ctx.steps[step.slug] = { status: 'succeeded', output, result: output };
  if (until <= startedAt) {
    await commitRecord(state, done, true);
    return output;
  }
  state.pending.push(done);
  throw new SuspendRun('delay', until, null, state.pending.splice(0));
}

interface ChildRun {
  id: string;
  status: string;
  output: unknown;
  error: { message?: string } | null;
}

async function findChild(state: RunState, path: string): Promise<ChildRun | null> {
  const { rows } = await sql<ChildRun>`select id, status, output, error from khaosflow.runs
    where parent_run_id = ${state.run.id}::uuid and parent_step = ${path}`.execute(state.services.db);
  return rows[0] ?? null;
}

/**
 * `call_workflow`: starts the called workflow as a child run (once, however often this
 * step is re-run) and, with `wait`, parks until the child finishes and takes its output
 * as this step's result, or its failure as this step's failure.
 */
export async function runCallWorkflow(state: RunState, step: ActionStep, scope: Scope): Promise<unknown> {
  const path = step.path + scope.iteration;
  const restored = restore(state, step, scope, path);
  if (restored.found) return restored.result;
  const p = await params(state, step, scope, path);
  const slug = String(p.workflow);
  const wait = p.wait !== false;
  await ensureClaimed(state);
  let child = await findChild(state, path);
  if (!child) {
    const target = await state.services.db
      .selectFrom('khaosflow.workflows')
      .select(['id', 'current_version', 'enabled'])
      .where('slug', '=', slug)
      .executeTakeFirst();
    if (!target?.current_version)
      fail(state, step, path, `call_workflow: there is no workflow "${slug}". Apply it first (khaosflow workflows apply).`, p);
    if (!target.enabled) fail(state, step, path, `call_workflow: workflow "${slug}" is disabled; enable it to call it.`, p);
    const runId = await enqueueRun(state.services.pool, {
      workflowId: target.id,
      version: target.current_version,
      triggerKind: 'workflow',
      trigger: { data: p.data ?? {}, parent: { run_id: state.run.id, workflow: state.run.slug, step: step.name } },
      parentRunId: state.run.id,
      parentStep: path,
    });
    child = { id: runId, status: 'queued', output: null, error: null };
  }
  if (!wait) {
    const output = { run_id: child.id, workflow: slug };
    await commitRecord(state, record(step, path, 'succeeded', { input: p, output }), false);
    scope.ctx.steps[step.slug] = { status: 'succeeded', output, result: output };
    return output;
  }
  if (child.status === 'succeeded') {
    await commitRecord(state, record(step, path, 'succeeded', { input: p, output: child.output }), true);
    scope.ctx.steps[step.slug] = { status: 'succeeded', output: child.output, result: child.output };
    return child.output;
  }
  if (child.status === 'failed' || child.status === 'cancelled') {
    fail(
      state,
      step,
      path,
      `The called workflow "${slug}" ${child.status} (run ${child.id})${child.error?.message ? `: ${child.error.message}` : ''}.`,
      p,
    );
  }
  throw new SuspendRun('child_run', null, child.id, state.pending.splice(0));
}
