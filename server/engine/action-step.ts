// One action step: resolve its params, run the action with its timeout, retry it the
// way its policy says, and record every attempt. Short backoffs wait here; long ones
// suspend the run so no worker slot sleeps.
import { redactingResolver } from '../connections/redaction.js';
import { policedResolver } from '../connections/outbound.js';
import type { ActionContext, ActionDefinition, StepLogEntry } from '../core/action.js';
import { ExpressionError } from '../expression/index.js';
import type { ActionStep } from '../workflow/types.js';
import { NonRetryableError, RetryAfterError, isRetryable, toErrorRecord, type ErrorRecord } from '../core/errors.js';
import { isInterrupt, RunInterrupt, StepFailure } from './interrupts.js';
import { resolveParams } from './params.js';
import { backoffMs, effectiveRetry } from './retry-policy.js';
import { ensureClaimed, type RunState, type Scope, type StepEntry } from './run-state.js';
import { writeSteps } from './run-store.js';
import type { StepRecord } from './step-record.js';
import { watchStep } from './step-watch.js';
import { isSuspend, SuspendRun } from './suspend.js';
import { sleep, StepTimeout, throwIfStopped, withDeadline } from './timing.js';

type Attempt = { ok: true; output: unknown; record: StepRecord } | { ok: false; error: unknown; record: StepRecord };

export function resultOf(action: ActionDefinition<any> | undefined, output: unknown): unknown {
  return action?.result ? action.result(output) : output;
}

/** Writes `record` (with everything pending) now, unless the action is pure. */
export async function commitRecord(state: RunState, record: StepRecord, pure: boolean): Promise<void> {
  state.pending.push(record);
  if (pure) return;
  const records = state.pending.splice(0);
  const running = await writeSteps(state.services.pool, state.run.id, records);
  if (!running) throw new RunInterrupt('cancelled', 'The run was cancelled.');
}

function newRecord(step: ActionStep, path: string, attempt: number): StepRecord {
  return {
    step_path: path,
    step_slug: step.slug,
    step_name: step.name,
    action_type: step.action.type,
    attempt,
    status: 'running',
    input: null,
    output: null,
    error: null,
    logs: null,
    started_at: new Date().toISOString(),
    finished_at: null,
  };
}

function actionContext(
  state: RunState,
  step: ActionStep,
  path: string,
  attempt: number,
  scope: Scope,
  signal: AbortSignal,
  logs: StepLogEntry[],
): ActionContext {
  const { services, run, redactor } = state;
  let connections: ReturnType<typeof redactingResolver> | undefined;
  return {
    services,
    // Passwords of the connections a step opens are redacted like secrets. Made on first
    // use: most steps (transforms, logs) open none.
    get connections() {
      connections ??= redactingResolver(policedResolver(services.connections, services.config.env), (value) => redactor.add(value));
      return connections;
    },
    run: { id: run.id, workflowSlug: run.slug, workflowName: state.definition.name, version: run.version, triggerKind: run.trigger_kind },
    step: { name: step.name, slug: step.slug, path, attempt },
    signal,
    log: (level, message, data) => logs.push({ at: new Date().toISOString(), level, message, ...(data === undefined ? {} : { data }) }),
    addSecret: (value) => redactor.add(value),
    redact: (value) => redactor.redact(value),
    expressionContext: scope.ctx as unknown as Record<string, unknown>,
    async getSecret(name) {
      const value = await services.secrets.get(name);
      if (value !== undefined) redactor.add(value);
      return value;
    },
  };
}

function asStepError(err: unknown): unknown {
  if (err instanceof ExpressionError) return new NonRetryableError(err.message);
  if (err instanceof StepTimeout) return err; // retryable: a slow remote may answer next time
  return err;
}

async function attemptOnce(state: RunState, step: ActionStep, scope: Scope, path: string, attempt: number): Promise<Attempt> {
  const record = newRecord(step, path, attempt);
  const logs: StepLogEntry[] = [];
  const action = state.services.actions.get(step.action.type);
  const finish = (ok: boolean, value: unknown): Attempt => {
    const now = new Date();
    record.finished_at = now.toISOString();
    state.services.metrics.stepAttempt(
      step.action.type,
      ok ? 'succeeded' : 'failed',
      (now.getTime() - Date.parse(record.started_at)) / 1000,
    );
    record.logs = logs.length ? state.redactor.redact(logs) : null;
    if (ok) {
      record.status = 'succeeded';
      record.output = state.redactor.redact(value ?? null);
      return { ok: true, output: value, record };
    }
    record.status = 'failed';
    record.error = state.redactor.redact(toErrorRecord(value, step.name));
    return { ok: false, error: value, record };
  };
  try {
    if (!action)
      throw new NonRetryableError(`Unknown action type "${step.action.type}". Is the plugin that provides it in the plugins folder?`);
    let params: Record<string, unknown> = await resolveParams(step.action, action, scope.ctx, step.name);
    if (action.params) {
      const parsed = action.params.safeParse(params);
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'params'}: ${i.message}`).join('; ');
        throw new NonRetryableError(
          `The ${step.action.type} params of step "${step.name}" are invalid after templates were resolved: ${issues}`,
        );
      }
      params = parsed.data as Record<string, unknown>;
    }
    record.input = state.redactor.redact(params);
    if (!action.pure) await ensureClaimed(state);
    const watch = action.pure ? null : watchStep(state, record, (reason) => state.abort(reason));
    try {
      const work = (signal: AbortSignal) => action.run(actionContext(state, step, path, attempt, scope, signal, logs), params);
      let output: unknown;
      if (action.pure && !step.timeout_ms) {
        // A pure action computes without waiting on anything outside: there is nothing to
        // abort midway, so it skips the deadline's controller and listeners.
        throwIfStopped(state.signal);
        output = await work(state.signal);
      } else {
        output = await withDeadline(work, state.signal, step.timeout_ms);
      }
      return finish(true, output);
    } finally {
      const rowId = await watch?.stop();
      if (rowId !== undefined) record.rowId = rowId;
    }
  } catch (err) {
    if (isInterrupt(err) || isSuspend(err)) throw err;
    return finish(false, asStepError(err));
  }
}

/**
 * Runs an action step to success (returning its result) or throws StepFailure,
 * SuspendRun (long backoff) or RunInterrupt.
 */
export async function runActionStep(state: RunState, step: ActionStep, scope: Scope): Promise<unknown> {
  const path = step.path + scope.iteration;
  const action = state.services.actions.get(step.action.type);
  const done = state.checkpoints.succeeded.get(path);
  if (done) {
    const entry: StepEntry = { status: 'succeeded', output: done.output, result: resultOf(action, done.output) };
    scope.ctx.steps[step.slug] = entry;
    return entry.result;
  }
  const policy = effectiveRetry(step, state.definition.error_handling);
  let attempt = (state.checkpoints.attempts.get(path) ?? 0) + 1;
  let failures = state.checkpoints.failures.get(path) ?? 0;
  let lastError: ErrorRecord | null = null;
  for (;;) {
    if (failures >= policy.attempts) {
      throw new StepFailure({
        name: lastError?.name ?? 'StepError',
        message: lastError?.message ?? `The step failed ${policy.attempts} times.`,
        retryable: false,
        step: step.name,
      });
    }
    const outcome = await attemptOnce(state, step, scope, path, attempt);
    const pure = action?.pure === true;
    if (outcome.ok) {
      await commitRecord(state, outcome.record, pure);
      const entry: StepEntry = { status: 'succeeded', output: outcome.output, result: resultOf(action, outcome.output) };
      scope.ctx.steps[step.slug] = entry;
      return entry.result;
    }
    lastError = outcome.record.error as ErrorRecord;
    failures++;
    const retry = isRetryable(outcome.error) && failures < policy.attempts;
    if (!retry) {
      state.pending.push(outcome.record);
      throw new StepFailure({ ...lastError, retryable: isRetryable(outcome.error), step: step.name });
    }
    let wait = backoffMs(policy, failures);
    if (outcome.error instanceof RetryAfterError) wait = Math.max(wait, outcome.error.retryAfterMs);
    if (wait > state.services.config.inlineBackoffMs) {
      state.pending.push(outcome.record);
      throw new SuspendRun('retry_backoff', new Date(Date.now() + wait), null, state.pending.splice(0));
    }
    await commitRecord(state, outcome.record, pure);
    if (wait > 0) await sleep(wait, state.signal);
    attempt++;
  }
}
