// Compiles every `{{ }}` template and transform expression of a workflow, so that syntax
// errors and references to unknown steps are reported at their line:col when the file is
// validated, not when a run reaches them.
import { ExpressionError } from '../expression/errors.js';
import { compileExpression, type CompiledExpression } from '../expression/compile.js';
import { parseTemplate } from '../expression/template.js';
import { compileItemExpression } from '../expression/transform.js';
import { didYouMean } from './did-you-mean.js';
import type { StepIndex } from './normalize-steps.js';
import type { PathSegment } from './paths.js';
import type { Reporter } from './reporter.js';
import { paramKinds } from './schema/actions.js';
import { highestPlaceholder } from '../core/sql-placeholders.js';
import { stepSlug } from './slugs.js';
import type { ActionConfig, StepDefinition, WorkflowDefinition } from './types.js';

/**
 * Which step results an expression may read: those of steps before `order` (a step),
 * any step (on_failure runs after them), or none (evaluated before the first step).
 */
type Reads = { before: number } | 'any' | 'none';

interface Checker {
  report: Reporter;
  index: StepIndex;
  /** Slug of the trigger written as a named first step, which is not a step at run time. */
  triggerSlug: string | undefined;
}

export function checkExpressions(workflow: WorkflowDefinition, index: StepIndex, report: Reporter): void {
  const checker: Checker = { report, index, triggerSlug: workflow.trigger?.name ? stepSlug(workflow.trigger.name) : undefined };
  const visit = (step: StepDefinition): void => {
    const entry = index.get(step.slug);
    if (!entry) return;
    const reads: Reads = { before: entry.order };
    if (step.kind === 'action') checkAction(checker, step.action, entry.actionPath, reads);
    if (step.kind === 'condition') {
      checkTemplates(checker, step.if, [...entry.path, 'condition', 'if'], reads);
      [...step.then, ...step.else].forEach(visit);
    }
    if (step.kind === 'loop') {
      checkTemplates(checker, step.over, [...entry.path, entry.loopKey ?? 'loop', 'over'], reads);
      step.steps.forEach(visit);
    }
  };
  workflow.steps.forEach(visit);
  workflow.error_handling.on_failure.forEach((action, i) => {
    checkAction(checker, action, ['error_handling', 'on_failure', i], 'any');
  });
  if (workflow.queue !== undefined) checkTemplates(checker, workflow.queue, ['queue'], 'none');
  const trigger = workflow.trigger as Record<string, unknown> | null;
  if (trigger?.type === 'webhook') {
    const at: PathSegment[] = workflow.trigger?.name === undefined ? ['trigger'] : ['steps', 0, 'trigger'];
    checkTemplates(checker, trigger.dedupe_key, [...at, 'dedupe_key'], 'none');
    checkTemplates(checker, trigger.respond, [...at, 'respond'], 'none');
  }
}

function checkAction(checker: Checker, action: ActionConfig, path: PathSegment[], reads: Reads): void {
  const kinds = paramKinds(action.type);
  for (const [key, value] of Object.entries(action)) {
    if (key === 'type' || kinds.raw?.includes(key)) continue;
    // markup params (soap body, send_email html) are templates too, rendered by the action with escaping.
    if (kinds.expression?.includes(key)) checkItemExpressions(checker, value, [...path, key], reads);
    else checkTemplates(checker, value, [...path, key], reads);
  }
  if (action.type === 'database_query' && typeof action.query === 'string') checkSql(checker, action, [...path, 'query']);
}

/** Every string inside `value` that holds `{{ }}` is compiled and its step references checked. */
function checkTemplates(checker: Checker, value: unknown, path: PathSegment[], reads: Reads): void {
  if (typeof value === 'string') {
    if (!value.includes('{{')) return;
    let parts;
    try {
      parts = parseTemplate(value);
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      checker.report.errorInString(path, error.templateOffset ?? 0, error.reason);
      return;
    }
    for (const part of parts) {
      if (part.kind !== 'expression') continue;
      const compiled = compileAt(checker, () => compileExpression(part.source), path, part.offset, `{{${part.source}}}`);
      if (compiled) checkReferences(checker, compiled, path, part.offset, reads);
    }
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => {
      checkTemplates(checker, item, [...path, i], reads);
    });
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) checkTemplates(checker, item, [...path, key], reads);
  }
}

/** Transform params evaluated per element: a string, a list of them, or a map of them. */
function checkItemExpressions(checker: Checker, value: unknown, path: PathSegment[], reads: Reads): void {
  if (typeof value === 'string') {
    const compiled = compileAt(checker, () => compileItemExpression(value), path, 0, value);
    if (compiled) checkReferences(checker, compiled, path, 0, reads);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => {
      checkItemExpressions(checker, item, [...path, i], reads);
    });
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) checkItemExpressions(checker, item, [...path, key], reads);
  }
}

function compileAt(
  checker: Checker,
  compile: () => CompiledExpression,
  path: PathSegment[],
  offset: number,
  shown: string,
): CompiledExpression | undefined {
  try {
    return compile();
  } catch (error) {
    if (!(error instanceof ExpressionError)) throw error;
    const at = offset + (error.templateOffset ?? 0) + error.position;
    checker.report.errorInString(path, at, `invalid expression ${JSON.stringify(oneLine(shown))}: ${error.reason}`);
    return undefined;
  }
}

/** An expression as one short line, for messages (block scalars span many). */
function oneLine(text: string): string {
  const line = text.trim().replace(/\s+/g, ' ');
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}

function checkReferences(checker: Checker, compiled: CompiledExpression, path: PathSegment[], offset: number, reads: Reads): void {
  const { index, report } = checker;
  for (const reference of compiled.stepReferences) {
    const at = offset + reference.position;
    const target = index.get(reference.slug);
    if (reads === 'none') {
      report.errorInString(path, at, `steps.${reference.slug} cannot be read here: this is evaluated before any step runs`);
    } else if (!target) {
      report.errorInString(path, at, unknownStepMessage(reference.slug, checker));
    } else if (reads !== 'any' && target.order >= reads.before) {
      const which = target.order === reads.before ? 'this step itself' : `a later step (line ${report.lineOf(target.path)})`;
      report.warnInString(path, at, `steps.${reference.slug} is ${which}, so it has no result yet when this runs`);
    }
  }
}

function unknownStepMessage(slug: string, checker: Checker): string {
  if (slug === checker.triggerSlug) return `${slug} is the trigger, not a step; read its data as trigger.data`;
  const known = [...checker.index.keys()];
  const hint = didYouMean(slug, known);
  if (hint) return `unknown step "${slug}"${hint}`;
  return `unknown step "${slug}"; steps are named by the snake_case of their name${known.length ? ` (this workflow has: ${known.join(', ')})` : ''}`;
}

function checkSql(checker: Checker, action: ActionConfig, path: PathSegment[]): void {
  const query = action.query as string;
  const template = query.indexOf('{{');
  if (template !== -1) {
    checker.report.warnInString(
      path,
      template,
      'a value pasted into the SQL text is open to SQL injection; use a $1, $2, ... placeholder and pass the value in parameters:',
    );
  }
  const parameters = action.parameters;
  if (typeof parameters === 'string') return; // a template giving the list; its length is known at run time
  const given = Array.isArray(parameters) ? parameters.length : 0;
  const highest = highestPlaceholder(query);
  if (highest > given) {
    const what = given === 0 ? 'no parameters are given' : `only ${given} parameter${given === 1 ? ' is' : 's are'} given`;
    checker.report.warn(path, `the query uses $${highest} but ${what}; add a value for each placeholder under parameters:`);
  }
}
