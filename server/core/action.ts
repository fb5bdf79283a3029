// The contract between the engine and an action type (built-in or plugin). The
// engine resolves the step's `{{ }}` templates, calls run(), records what it returns
// as the step's output, and decides about retries from what it throws (see
// server/core/errors.ts).
import type { z } from 'zod';

/**
 * What `ctx.services` and `ctx.connections` are. Core sits below the modules that
 * define them, so server/services.ts fills these in by declaration merging
 * (`interface ActionServices extends Services {}`) instead of core importing upward.
 */
// biome-ignore lint/suspicious/noEmptyInterface: completed by declaration merging in server/services.ts
export interface ActionServices {}
// biome-ignore lint/suspicious/noEmptyInterface: completed by declaration merging in server/services.ts
export interface ActionConnections {}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface StepLogEntry {
  at: string;
  level: LogLevel;
  message: string;
  data?: unknown;
}

export interface ActionContext {
  services: ActionServices;
  connections: ActionConnections;
  run: { id: string; workflowSlug: string; workflowName: string; version: number; triggerKind: string };
  step: { name: string; slug: string; path: string; attempt: number };
  /** Aborted on cancel, step timeout or worker shutdown; long operations must honour it. */
  signal: AbortSignal;
  /** Lines kept in the step's record (step_runs.logs), secrets redacted. */
  log(level: LogLevel, message: string, data?: unknown): void;
  /** Registers a secret value met at run time so it is redacted everywhere afterwards. */
  addSecret(value: string): void;
  /** A copy of `value` with every secret of this run replaced by `***`: for anything an action writes outside the step record (server log, files it names). */
  redact<T>(value: T): T;
  /** The expression context of this step (trigger, steps, vars, ...), for actions that evaluate per item (transform, loop). */
  expressionContext: Record<string, unknown>;
  /** Named secrets this step may read (run_script lists them explicitly). */
  getSecret(name: string): Promise<string | undefined>;
}

export interface ActionDefinition<P = Record<string, unknown>> {
  type: string;
  title?: string;
  /** Params validated after template resolution; a failure fails the step without retries. */
  params?: z.ZodType<P>;
  /**
   * The params as written in a workflow file, from which the workflow language's
   * validation, the JSON Schema (`khaosflow schema`) and the builder's forms are all
   * derived: templates allowed, docs in `.meta({ description })`. `action(shape)` makes
   * the strict object with this action's `type` and the step's `retry`. Plugins may
   * leave it out: their `params` are used, any value of which may be a `{{ }}` template.
   *
   * @example authoring: (action) => action({ message: z.string() })
   */
  authoring?: (action: AuthoringObject) => z.ZodType;
  /** How params are read; params not listed are templates resolved before run(). */
  paramKinds?: ParamKinds;
  /**
   * Param keys the engine must NOT resolve as templates before run() because the
   * action evaluates them itself. Filled by defineAction from `paramKinds`; a plugin
   * may set it directly (it then means `paramKinds.raw`).
   */
  rawParams?: readonly string[];
  /**
   * True for actions without effects outside the run (transform, log): the engine
   * may checkpoint them together with the next step instead of one commit each.
   */
  pure?: boolean;
  run(ctx: ActionContext, params: P): Promise<unknown>;
  /** What `steps.<slug>.result` is (default: the output itself); a query's rows, say. */
  result?(output: unknown): unknown;
}

/**
 * How each param is read. `raw` params are passed as written (script code, a jq
 * program); `expression` params are evaluated by the action per element (transform
 * conditions); `markup` params are templates the action renders itself, escaping each
 * value (SOAP XML, HTML mail) or checking it (a database where: takes one scalar per
 * template). The engine passes all three unresolved.
 */
export interface ParamKinds {
  raw?: readonly string[];
  expression?: readonly string[];
  markup?: readonly string[];
}

/** Builds the strict object of one action (its `type`, the params in `shape`, `retry`). */
export type AuthoringObject = <S extends z.ZodRawShape>(shape: S) => z.ZodObject;

/** Every param the engine leaves unresolved: the union of the param kinds. */
export function unresolvedParams(kinds: ParamKinds): string[] {
  return [...(kinds.raw ?? []), ...(kinds.expression ?? []), ...(kinds.markup ?? [])];
}

/** The param kinds of a definition (a plugin's `rawParams` are raw params). */
export function paramKindsOf(def: Pick<ActionDefinition<any>, 'paramKinds' | 'rawParams'>): ParamKinds {
  return def.paramKinds ?? (def.rawParams?.length ? { raw: def.rawParams } : {});
}

/** Declares an action type; used by built-ins and by plugins (examples/plugins). */
export function defineAction<P>(def: ActionDefinition<P>): ActionDefinition<P> {
  return def.paramKinds ? { ...def, rawParams: unresolvedParams(def.paramKinds) } : def;
}
