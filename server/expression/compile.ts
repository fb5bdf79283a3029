// Compiles one expression (the text inside `{{ }}`, or a transform's condition) into a
// cached, bounded jsonata evaluator. Compiling costs ~20x an evaluation, so compiled
// expressions are kept in an LRU keyed by mode and source.
import jsonata from 'jsonata';
import { contextBindings, contextNames, contextVariableNames, templateInput, type ExpressionContext } from './context.js';
import { ExpressionError } from './errors.js';
import { callableNames, helperNames, helperOnlyNames, helperPrefix, helpers } from './helpers.js';
import { LruCache } from './lru-cache.js';
import { toPlainValue } from './plain-value.js';
import { unboundedRegex } from './regex-guard.js';
import { documentVariable, rewriteExpression } from './rewrite.js';
import { endsOperand, tokenize } from './tokenizer.js';
import { stepReferences, variablesUsed, type StepReference } from './syntax-tree.js';

export type ExpressionMode = 'template' | 'item';

export interface CompiledExpression {
  /** The expression as written. */
  readonly source: string;
  readonly mode: ExpressionMode;
  /** Step slugs read through `steps.<slug>`, with where they are in `source`. */
  readonly stepReferences: readonly StepReference[];
  /**
   * Evaluates against a run context. In item mode the input is `context.item`.
   * Throws ExpressionError (with the step name when `step` is given).
   */
  evaluate(context: ExpressionContext, step?: string, bindings?: Record<string, unknown>): Promise<unknown>;
  /**
   * Like evaluate, with the input already built: `templateInput(context)` in template mode,
   * the element in item mode. Lets a template build the input once for all its expressions.
   */
  evaluateInput(input: unknown, context: ExpressionContext, step?: string, bindings?: Record<string, unknown>): Promise<unknown>;
}

export interface ExpressionLimits {
  /** Wall-clock budget of one evaluation. */
  timeoutMs: number;
  /** Maximum nesting of jsonata's evaluator (deep recursion, deeply nested expressions). */
  maxDepth: number;
  /** Maximum length of any sequence an evaluation builds. */
  maxSequence: number;
}

export const defaultExpressionLimits: ExpressionLimits = { timeoutMs: 1000, maxDepth: 500, maxSequence: 1_000_000 };
let limits = defaultExpressionLimits;
const cache = new LruCache<string, CompiledExpression>(5000);

/** Changes the evaluation bounds (the cache is emptied so every expression gets them). */
export function setExpressionLimits(next: Partial<ExpressionLimits>): void {
  limits = { ...limits, ...next };
  cache.clear();
}

/**
 * Compiles (or fetches from the cache) the expression `source`.
 * Throws ExpressionError for syntax errors, with the position inside `source`.
 *
 * @example
 *   const total = compileExpression('sum(trigger.data.items[].price)');
 *   await total.evaluate({ trigger: { data: { items: [{ price: 2 }, { price: 3 }] } } }); // 5
 */
export function compileExpression(source: string, mode: ExpressionMode = 'template'): CompiledExpression {
  const key = `${mode}\u0000${source}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const compiled = compile(source, mode, limits);
  cache.set(key, compiled);
  return compiled;
}

function compile(source: string, mode: ExpressionMode, bounds: ExpressionLimits): CompiledExpression {
  if (source.trim() === '') {
    throw new ExpressionError('the expression is empty', { expression: source, position: 0 });
  }
  const deep = nestingTooDeep(source);
  if (deep !== undefined) {
    throw new ExpressionError(`the expression nests more than ${maxSyntaxNesting} levels deep`, { expression: source, position: deep });
  }
  const regex = unboundedRegex(source);
  if (regex) {
    throw new ExpressionError(
      `the regular expression uses ${regex.feature}, which expressions do not support: such a pattern can take exponential time; match in two steps or with a simpler pattern`,
      { expression: source, position: regex.position },
    );
  }
  const rewritten = rewriteExpression(source, { callable: callableNames, helpers: helperNames, mode, contextNames });
  let expression: jsonata.Expression;
  try {
    expression = jsonata(rewritten.text, { timeout: bounds.timeoutMs, stack: bounds.maxDepth, sequence: bounds.maxSequence });
  } catch (error) {
    throw toExpressionError(error, source, rewritten.toOrigin, bounds);
  }
  for (const [name, helper] of Object.entries(helpers)) {
    expression.assign(`${helperPrefix}${name}`, helper);
    // `$json(x)` works too; `$sum`, `$count`, ... stay JSONata's own.
    if (helperOnlyNames.has(name)) expression.assign(name, helper);
  }
  const references = stepReferences(expression.ast(), rewritten.toOrigin);
  const used = variablesUsed(expression.ast());
  const variables = contextVariableNames.filter((name) => used.has(name));
  const readsDocumentVariable = used.has(documentVariable);

  // `bindings` are extra `$name` variables (JSONata's own bindings), used by the conformance suite.
  const evaluateInput = async (
    input: unknown,
    context: ExpressionContext,
    step?: string,
    bindings?: Record<string, unknown>,
  ): Promise<unknown> => {
    const fromContext = contextBindings(context, variables);
    const bound = readsDocumentVariable ? { ...fromContext, [documentVariable]: context.vars } : fromContext;
    try {
      return toPlainValue(await expression.evaluate(input, bindings ? { ...bindings, ...bound } : bound));
    } catch (error) {
      throw toExpressionError(error, source, rewritten.toOrigin, bounds, step);
    }
  };
  return {
    source,
    mode,
    stepReferences: references,
    evaluate: (context, step, bindings) =>
      evaluateInput(mode === 'template' ? templateInput(context) : context.item, context, step, bindings),
    evaluateInput,
  };
}

/**
 * jsonata's parser recurses per nesting level; thousands of levels overflow the stack,
 * which V8 does not always survive. Real expressions nest a handful of levels.
 */
const maxSyntaxNesting = 100;

/** Offset where brackets or a chain of prefix operators (`- - - 1`) nest too deep. */
function nestingTooDeep(source: string): number | undefined {
  let depth = 0;
  let prefixRun = 0;
  let previous: ReturnType<typeof tokenize>[number] | undefined;
  for (const token of tokenize(source)) {
    if (token.kind === 'comment') continue;
    const opens = token.kind === 'operator' && (token.text === '(' || token.text === '[' || token.text === '{');
    const closes = token.kind === 'operator' && (token.text === ')' || token.text === ']' || token.text === '}');
    if (opens && ++depth > maxSyntaxNesting) return token.start;
    if (closes) depth = Math.max(depth - 1, 0);
    prefixRun = token.kind === 'operator' && !closes && !endsOperand(previous) ? prefixRun + 1 : 0;
    if (prefixRun > maxSyntaxNesting) return token.start;
    previous = token;
  }
  return undefined;
}

interface JsonataFailure {
  code?: string;
  position?: number;
  token?: unknown;
  message?: string;
  value?: unknown;
}

/** Explains jsonata's errors in workflow terms and maps positions back to `source`. */
function toExpressionError(
  error: unknown,
  source: string,
  toOrigin: (offset: number) => number,
  bounds: ExpressionLimits,
  step?: string,
): ExpressionError {
  if (error instanceof ExpressionError) return step ? error.inStep(step) : error;
  const failure = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as JsonataFailure;
  const token = typeof failure.token === 'string' && failure.token !== '(end)' ? failure.token : '';
  // jsonata reports the offset just past the offending token; point at its first character.
  const end = typeof failure.position === 'number' ? failure.position : 0;
  const position = Math.min(Math.max(toOrigin(Math.max(end - token.length, 0)), 0), source.length);
  return new ExpressionError(explain(failure, bounds), {
    expression: source,
    position,
    ...(failure.code ? { code: failure.code } : {}),
    ...(step ? { step } : {}),
  });
}

function explain(failure: JsonataFailure, bounds: ExpressionLimits): string {
  switch (failure.code) {
    case 'D1012':
      return `the expression took longer than ${bounds.timeoutMs} ms and was stopped`;
    case 'D1011':
      return `the expression nests deeper than ${bounds.maxDepth} levels and was stopped`;
    case 'D2015':
      return `the expression built a list of more than ${bounds.maxSequence} items and was stopped`;
    case 'T2009':
    case 'T2010':
      // The usual cause is a list on one side: the rows of a query, `items.price`, ...
      return `${failure.message ?? 'the operands cannot be compared'}; if one side is a list (like the rows of a query), compare each element with all(...) or any(...), e.g. all(steps.check_inventory.result[].stock > 0)`;
    default:
      return failure.message ?? 'the expression failed';
  }
}
