// The run context an expression sees, and how it is handed to jsonata.
//
// Template mode: the input (`$`) is the context itself, so `trigger.data.id` is a plain
// path, and every variable is also a bare name (`{{khaosbase_url}}` = `vars.khaosbase_url`;
// the context's own names win over a variable with the same name).
// Item mode (filter conditions, map transforms, sort keys, aggregations): the input is the
// element, and the context is reachable as variables: `$trigger`, `$steps`, `$item`, ...

export interface ExpressionContext {
  /** `{data, headers, ...}` of the event that started the run. */
  trigger?: unknown;
  /** Results of finished steps by step slug: `steps.check_inventory.result`. */
  steps?: Record<string, unknown>;
  secrets?: Record<string, unknown>;
  vars?: Record<string, unknown>;
  workflow?: unknown;
  run?: unknown;
  /** The failure being handled, in `on_failure` actions. */
  error?: unknown;
  /** The current element inside a loop or a transform. */
  item?: unknown;
  index?: number;
  /** Today as YYYY-MM-DD (UTC) unless the caller fixes it, e.g. to the run's start. */
  date?: string;
  /** The current time as an ISO 8601 string unless the caller fixes it. */
  now?: string;
}

/** The context's own names; in a template any other bare name is a variable. */
export const contextNames: ReadonlySet<string> = new Set([
  'trigger',
  'steps',
  'secrets',
  'vars',
  'workflow',
  'run',
  'error',
  'item',
  'index',
  'date',
  'now',
]);

/**
 * Context names also bound as `$name`. Not `date` and `now` (the functions `$date`, `$now`)
 * and not `error`: `$error()` is JSONata's function; the failure is `error.message`.
 */
export const contextVariableNames = ['trigger', 'steps', 'secrets', 'vars', 'workflow', 'run', 'item', 'index'] as const;
export type ContextVariableName = (typeof contextVariableNames)[number];

/**
 * The input of a template-mode expression. Built with a fixed shape because it is made
 * for every evaluation (bare variable names are rewritten to `vars.<name>` at compile time
 * instead of being merged in here).
 */
export function templateInput(context: ExpressionContext): Record<string, unknown> {
  const now = context.now ?? new Date().toISOString();
  return {
    trigger: context.trigger,
    steps: context.steps,
    secrets: context.secrets,
    vars: context.vars,
    workflow: context.workflow,
    run: context.run,
    error: context.error,
    item: context.item,
    index: context.index,
    date: context.date ?? now.slice(0, 10),
    now,
  };
}

/** Bindings for the `$trigger`, `$steps`, ... variables an expression actually reads. */
export function contextBindings(context: ExpressionContext, used: readonly ContextVariableName[]): Record<string, unknown> | undefined {
  if (used.length === 0) return undefined;
  const bindings: Record<string, unknown> = {};
  for (const name of used) bindings[name] = context[name];
  return bindings;
}
