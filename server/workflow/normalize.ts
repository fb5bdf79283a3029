// From the author's shape to the one WorkflowDefinition shape: name and slug (from the file
// name when the snippet has none), the trigger wherever it was written, `action:` as a
// one-step workflow, missing steps as none, error handling with its defaults.
import { basename, extname } from 'node:path';
import { contextNames } from '../expression/context.js';
import { normalizeSteps, type StepEntry, type StepIndex } from './normalize-steps.js';
import { normalizeTrigger } from './normalize-trigger.js';
import type { RawAction, RawWorkflow } from './raw-workflow.js';
import type { Reporter } from './reporter.js';
import { normalizeRetry, retryDefaults } from './schema/retry.js';
import { workflowSlug } from './slugs.js';
import type { ActionConfig, ErrorHandling, TriggerDefinition, WorkflowDefinition } from './types.js';

/** Name of a workflow without `name:`, from its file: `http-request.yaml` -> `http-request`. */
function nameFromFile(file: string | undefined): string {
  if (!file) return 'untitled';
  const name = basename(file, extname(file));
  return name === '' ? 'untitled' : name;
}

export function normalizeWorkflow(
  raw: RawWorkflow,
  report: Reporter,
  file: string | undefined,
): { workflow: WorkflowDefinition; index: StepIndex } {
  const name = raw.name ?? nameFromFile(file);
  const slug = raw.slug ?? workflowSlug(name);
  if (slug === '') {
    report.error(
      raw.name === undefined ? [] : ['name'],
      `the name "${name}" has no letters a-z or digits to make the workflow slug from; add slug: (e.g. slug: my-workflow)`,
    );
  }

  let trigger: TriggerDefinition | null = null;
  let entries: StepEntry[] = (raw.steps ?? []).map((step, i) => ({ raw: step, path: ['steps', i] }));
  const first = raw.steps?.[0];
  if (raw.trigger) {
    trigger = normalizeTrigger(raw.trigger, ['trigger'], slug, report) ?? null;
  }
  if (first?.trigger) {
    if (raw.trigger) {
      report.error(['steps', 0, 'trigger'], `the workflow already has a trigger (line ${report.lineOf(['trigger'])}); keep one`, 'key');
    } else {
      const found = normalizeTrigger(first.trigger, ['steps', 0, 'trigger'], slug, report);
      trigger = found ? { ...found, ...(first.name === undefined ? {} : { name: first.name }) } : null;
    }
    entries = entries.slice(1);
  }
  if (raw.action) {
    if (raw.steps) report.error(['action'], 'give either action: (a one-step workflow) or steps:, not both', 'key');
    entries = [{ raw: { action: raw.action }, path: ['action'], actionPath: ['action'] }];
  }

  const { steps, index } = normalizeSteps(entries, report);
  for (const name of Object.keys(raw.vars ?? {})) {
    if (contextNames.has(name)) {
      report.warn(['vars', name], `the variable "${name}" is hidden by the context's own ${name}; read it as vars.${name}`, 'key');
    }
  }

  const workflow: WorkflowDefinition = {
    name,
    slug,
    ...(raw.description === undefined ? {} : { description: raw.description }),
    trigger,
    steps,
    error_handling: normalizeErrorHandling(raw.error_handling, report),
    ...(raw.concurrency === undefined ? {} : { concurrency: raw.concurrency }),
    ...(raw.queue === undefined ? {} : { queue: raw.queue }),
    ...(raw.priority === undefined ? {} : { priority: raw.priority }),
    ...(raw.timeout === undefined ? {} : { timeout_ms: raw.timeout }),
    ...(raw.vars === undefined ? {} : { vars: raw.vars }),
  };
  return { workflow, index };
}

function normalizeErrorHandling(raw: RawWorkflow['error_handling'], report: Reporter): ErrorHandling {
  if (!raw) return { strategy: 'fail_fast', on_failure: [] };
  const strategy = raw.strategy ?? (raw.retry ? 'retry_then_alert' : 'fail_fast');
  // retry_then_alert without a policy still means "retry": use the default policy.
  const retry = raw.retry ? normalizeRetry(raw.retry) : strategy === 'retry_then_alert' ? retryDefaults : undefined;
  const onFailure = raw.on_failure.map((action: RawAction, i): ActionConfig => {
    const { retry: actionRetry, ...rest } = action;
    if (actionRetry) {
      report.error(['error_handling', 'on_failure', i, 'retry'], 'on_failure actions run once; retry is not available here', 'key');
    }
    return rest as ActionConfig;
  });
  return { strategy, ...(retry ? { retry } : {}), on_failure: onFailure };
}
