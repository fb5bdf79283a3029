// `error_handling.on_failure`: actions run once when a run fails (after its retries),
// with `{{error.message}}`, `{{error.step}}` and `{{workflow.name}}` in scope. They are
// recorded as steps `on_failure[i]`; one failing does not stop the others.
import type { ActionStep } from '../workflow/types.js';
import { runActionStep } from './action-step.js';
import type { ErrorRecord } from '../core/errors.js';
import { StepFailure } from './interrupts.js';
import { NO_RETRY } from './retry-policy.js';
import type { RunState, Scope } from './run-state.js';

export async function runOnFailure(state: RunState, error: ErrorRecord): Promise<void> {
  const handlers = state.definition.error_handling.on_failure;
  if (!handlers.length) return;
  const scope: Scope = { ctx: { ...state.base, error: state.redactor.redact(error) }, iteration: '' };
  for (const [i, action] of handlers.entries()) {
    const step: ActionStep = {
      kind: 'action',
      name: `on_failure: ${action.type}`,
      slug: `on_failure_${i}`,
      path: `on_failure[${i}]`,
      action,
      retry: NO_RETRY,
    };
    try {
      await runActionStep(state, step, scope);
    } catch (err) {
      if (!(err instanceof StepFailure)) throw err;
      state.services.logger.warn({ run: state.run.id, handler: step.path, error: err.message }, 'an on_failure action failed');
    }
  }
}
