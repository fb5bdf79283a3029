// The workflow document as the schema outputs it (validated, defaults filled in,
// durations in milliseconds) but still in the author's shape. normalize.ts turns it into
// a WorkflowDefinition. The schema is built at run time (plugins add actions), so these
// types are written out rather than inferred.
import type { RetryInput } from './schema/retry.js';

export interface RawAction {
  type: string;
  retry?: RetryInput;
  [param: string]: unknown;
}

export interface RawTrigger {
  type: string;
  [key: string]: unknown;
}

export interface RawLoop {
  over: string | unknown[];
  concurrency: number;
  steps: RawStep[];
}

export interface RawStep {
  name?: string;
  description?: string;
  action?: RawAction;
  condition?: { if: string | boolean; then: RawStep[]; else?: RawStep[] };
  loop?: RawLoop;
  for_each?: RawLoop;
  trigger?: RawTrigger;
  retry?: RetryInput;
  timeout?: number;
  continue_on_error?: boolean;
}

export interface RawWorkflow {
  name?: string;
  slug?: string;
  description?: string;
  trigger?: RawTrigger;
  steps?: RawStep[];
  action?: RawAction;
  error_handling?: { strategy?: 'retry_then_alert' | 'fail_fast' | 'continue'; retry?: RetryInput; on_failure: RawAction[] };
  concurrency?: number;
  queue?: string;
  priority?: number;
  timeout?: number;
  vars?: Record<string, unknown>;
}
