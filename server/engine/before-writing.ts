// Runs executed before they are written. A run whose answer someone waits for
// (`respond: sync`, `Prefer: wait`) and whose workflow changes nothing outside the run
// (every step a pure action, a condition or a loop; no queue, no concurrency limit, no
// on_failure actions) is executed right away in the accepting process and written
// once, finished, with its step records (sql/000026): one commit instead of an intake,
// a locked job and a finish.
//
// Durability holds: the caller is answered only after that commit. A process that dies
// before it answered nothing and changed nothing, so the sender's retry loses no work.
// A run that cannot end here - a retry that has to wait, a shutdown, an engine error,
// a workflow changed meanwhile - is dropped unwritten and the caller takes the usual
// path, which writes the run first and executes it again from its first step (its
// steps have no effects, so running them twice is harmless).
import { randomUUID } from 'node:crypto';
import type { ActionRegistry } from '../core/action-registry.js';
import { isDatabaseUnavailable } from '../../db/unavailable.js';
import type { EndedRun } from '../core/run-endings.js';
import type { Services } from '../services.js';
import type { StepDefinition } from '../workflow/types.js';
import { loadVersion, type LoadedVersion } from './definitions.js';
import { isInterrupt, RunInterrupt, StepFailure } from './interrupts.js';
import { runController, timeoutError } from './run-controller.js';
import { recordRun } from './run-recorder.js';
import { createRunState } from './run-state.js';
import { justInserted } from './run-store.js';
import { runSteps } from './sequence.js';
import { storableJson } from './step-record.js';

export interface UnwrittenRunInput {
  workflowId: number;
  version: number;
  slug: string;
  workflowName: string;
  triggerKind: string;
  trigger: Record<string, unknown>;
}

/** A time-ordered run id, as khaosflow.uuid_v7() makes them: 48 bits of Unix milliseconds, then random bits. */
export function newRunId(now = Date.now()): string {
  const random = randomUUID();
  const ms = now.toString(16).padStart(12, '0');
  return `${ms.slice(0, 8)}-${ms.slice(8)}-7${random.slice(15, 18)}-${random.slice(19)}`;
}

const stepsArePure = (steps: readonly StepDefinition[], actions: ActionRegistry): boolean =>
  steps.every((step) => {
    switch (step.kind) {
      case 'action':
        return actions.get(step.action.type)?.pure === true;
      case 'condition':
        return stepsArePure(step.then, actions) && stepsArePure(step.else, actions);
      case 'loop':
        return stepsArePure(step.steps, actions);
      default:
        return false;
    }
  });

const eligible = new WeakMap<LoadedVersion, boolean>();

/** Whether runs of `version` may execute before they are written (decided once per version). */
export function canRunBeforeWriting(version: LoadedVersion, actions: ActionRegistry): boolean {
  let yes = eligible.get(version);
  if (yes === undefined) {
    const { definition } = version;
    yes =
      version.queueKey === null &&
      definition.concurrency == null &&
      definition.error_handling.on_failure.length === 0 &&
      stepsArePure(definition.steps, actions);
    eligible.set(version, yes);
  }
  return yes;
}

/**
 * Executes a run of `input`'s workflow version and writes it finished. Resolves with
 * the run as stored once it is on disk, or null when this run cannot be done here (the
 * workflow has effects, or see the header): then nothing was written and the caller
 * accepts the run the usual way. `signal` aborts it (the process is shutting down), and
 * so does `deadlineMs` passing: the caller waits no longer for an answer, so the run is
 * accepted the usual way to go on in the queue.
 */
export async function runBeforeWriting(
  services: Services,
  input: UnwrittenRunInput,
  opts: { signal: AbortSignal; deadlineMs: number },
): Promise<EndedRun | null> {
  const version = await loadVersion(services.pool, input.workflowId, input.version);
  if (!canRunBeforeWriting(version, services.actions)) return null;
  const createdAt = new Date();
  const triggerText = JSON.stringify(input.trigger);
  // As stored: a run executed after its intake reads its trigger data back from JSON.
  const run = justInserted(newRunId(createdAt.getTime()), { ...input, trigger: JSON.parse(triggerText), queueName: null, createdAt });
  const { controller, dispose } = runController(createdAt, version.timeoutMs, opts.signal);
  const deadline = setTimeout(
    () => controller.abort(new RunInterrupt('unwritten', 'The answer could not wait for the run to end.')),
    opts.deadlineMs,
  );
  let ended: { status: 'succeeded' | 'failed'; output: unknown; error: unknown };
  let state: Awaited<ReturnType<typeof createRunState>>;
  try {
    state = await createRunState({ services, run, version, checkpoints: null, controller, claimed: false, unwritten: true });
    try {
      const output = state.redactor.redact((await runSteps(state, version.definition.steps, { ctx: state.base, iteration: '' })) ?? null);
      ended = { status: 'succeeded', output, error: null };
    } catch (err) {
      if (err instanceof StepFailure) ended = { status: 'failed', output: null, error: state.redactor.redact(err.record) };
      else if (isInterrupt(err) && err.kind === 'run_timeout')
        ended = { status: 'failed', output: null, error: timeoutError(version.timeoutMs ?? 0) };
      else throw err;
    }
  } catch (err) {
    services.logger.debug({ err, workflow: input.slug }, 'a run could not end before it was written; it is accepted the usual way');
    return null;
  } finally {
    clearTimeout(deadline);
    dispose();
  }
  // Made storable once (storableJson drops what jsonb refuses): the answer is the run as written.
  const outputText = storableJson(ended.output ?? null);
  const errorText = storableJson(ended.error ?? null);
  let recorded: boolean;
  try {
    recorded = await recordRun(services.pool, {
      id: run.id,
      workflowId: run.workflow_id,
      version: run.version,
      triggerKind: run.trigger_kind,
      triggerText,
      status: ended.status,
      outputText,
      errorText,
      createdAt,
      startedAt: state.startedAt,
      records: state.pending.splice(0),
    });
  } catch (err) {
    // The database is away: nothing can be accepted now (the caller answers 503).
    if (isDatabaseUnavailable(err)) throw err;
    // Postgres refused something of this run: the usual path writes it first, so the
    // trouble is recorded on a run that exists instead of lost with this one.
    services.logger.warn(
      { err, workflow: input.slug },
      'a run executed before it was written could not be written; it is accepted the usual way',
    );
    return null;
  }
  if (!recorded) return null;
  services.metrics.runFinished(ended.status, (Date.now() - state.startedAt.getTime()) / 1000);
  return { id: run.id, status: ended.status, output: JSON.parse(outputText), error: JSON.parse(errorText) };
}
