// The normalized workflow definition: what parseWorkflow returns and what the executor,
// the trigger listeners and the console consume (stored as workflow_versions.definition).
// Whatever shape the author used (a `workflow:` wrapper or not, the trigger as the first
// step, a single top-level `action:`), the definition has one shape, every step has a
// name, a slug and a path, and every duration is in milliseconds.
import type { z } from 'zod';
import type { triggerSchemas } from './schema/triggers.js';

/** A problem found in a workflow file; `line` and `col` are 1-based. */
export interface Problem {
  file: string;
  line: number;
  col: number;
  /** Where in the document, e.g. `workflow.steps[2].action.retry.backoff`. */
  path: string;
  message: string;
}

export type ParseResult =
  | { ok: true; workflow: WorkflowDefinition; warnings: Problem[] }
  | { ok: false; problems: Problem[]; warnings: Problem[] };

export interface RetryPolicy {
  /** Total tries including the first. */
  attempts: number;
  backoff: 'fixed' | 'exponential';
  /** Wait before the first retry. */
  delay_ms: number;
  /** Factor applied to the wait after each retry when backoff is exponential. */
  multiplier: number;
  max_backoff_ms: number;
  /** Randomize each wait by up to ±50%. */
  jitter: boolean;
}

/**
 * - retry_then_alert: failed steps are retried (step retry, else the workflow's), then
 *   on_failure runs and the run fails.
 * - fail_fast: the first failure (after a step's own retry, if any) fails the run, then
 *   on_failure runs.
 * - continue: a failed step is recorded as failed and the run goes on with the next step.
 */
export type ErrorStrategy = 'retry_then_alert' | 'fail_fast' | 'continue';

export interface ErrorHandling {
  strategy: ErrorStrategy;
  /** Default retry policy for steps that have none of their own. */
  retry?: RetryPolicy;
  /** Actions run once when the run fails; they see `error`, `workflow`, `run`, `steps`. */
  on_failure: ActionConfig[];
}

/**
 * An action as written: its type and params, `{{ }}` templates left in place for the
 * executor (durations are already milliseconds). Named ActionConfig because
 * `ActionDefinition` in server/core/action.ts is the action implementation.
 */
export interface ActionConfig {
  type: string;
  [param: string]: unknown;
}

export type WebhookTrigger = z.output<typeof triggerSchemas.webhook> & { path: string };
export type ScheduleTrigger = Omit<z.output<typeof triggerSchemas.schedule>, 'cron' | 'timezone' | 'catch_up'> & {
  /** Always set: the `cron:` given or the cron the natural-language `schedule:` means. */
  cron: string;
  /** IANA name, canonical form (default UTC). */
  timezone: string;
  /** What to do about runs missed while KhaosFlow was down. */
  catch_up: 'none' | 'latest' | 'all';
};
export type ManualTrigger = z.output<typeof triggerSchemas.manual>;
export type DatabaseTrigger = Omit<z.output<typeof triggerSchemas.database>, 'event'> & {
  events: ('INSERT' | 'UPDATE' | 'DELETE')[];
};
export type FileWatcherTrigger = Omit<z.output<typeof triggerSchemas.file_watcher>, 'event'> & {
  events: ('created' | 'modified' | 'deleted')[];
};
export type EmailTrigger = z.output<typeof triggerSchemas.email>;

export type TriggerDefinition = (WebhookTrigger | ScheduleTrigger | ManualTrigger | DatabaseTrigger | FileWatcherTrigger | EmailTrigger) & {
  /** The step name when the trigger was written as the first step (`- name: Receive Order`). */
  name?: string;
};

interface StepBase {
  name: string;
  /** snake_case of the name: the step is `steps.<slug>` in expressions. */
  slug: string;
  /** Where the step is written, relative to the workflow: `steps[2].condition.then[0]`. */
  path: string;
  description?: string;
  /** Step budget, retries excluded. */
  timeout_ms?: number;
  /** A failure of this step is recorded and the run goes on, whatever the strategy. */
  continue_on_error?: boolean;
  /** True when the author gave no name and one was made up from the action type. */
  generated_name?: boolean;
}

export interface ActionStep extends StepBase {
  kind: 'action';
  action: ActionConfig;
  retry?: RetryPolicy;
}

export interface ConditionStep extends StepBase {
  kind: 'condition';
  /** A single `{{ }}` template (or a literal boolean) decided at run time. */
  if: string | boolean;
  then: StepDefinition[];
  else: StepDefinition[];
}

export interface LoopStep extends StepBase {
  kind: 'loop';
  /** A single `{{ }}` template giving the list, or a literal list. */
  over: string | unknown[];
  /** How many elements run at once (default 1: in order). */
  concurrency: number;
  /** Run once per element with `item` and `index` set in the context. */
  steps: StepDefinition[];
}

export type StepDefinition = ActionStep | ConditionStep | LoopStep;

export interface WorkflowDefinition {
  name: string;
  slug: string;
  description?: string;
  trigger: TriggerDefinition | null;
  steps: StepDefinition[];
  error_handling: ErrorHandling;
  /** Most runs of this workflow executing at once. */
  concurrency?: number;
  /** Runs with the same (templated) queue key execute one at a time, in order. */
  queue?: string;
  /** Higher runs first. */
  priority?: number;
  /** Budget of a whole run. */
  timeout_ms?: number;
  /** Workflow variables, also readable as bare names in expressions. */
  vars?: Record<string, unknown>;
}
