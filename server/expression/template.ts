// `{{ expr }}` templates over any JSON value (an action's params, a condition's `if`).
// A string that is exactly one `{{ }}` (surrounding whitespace aside) keeps the type of
// its result; otherwise results are interpolated into the text. Objects and arrays are
// walked, keys are never templated.
import { compileExpression, type CompiledExpression } from './compile.js';
import { templateInput, type ExpressionContext } from './context.js';
import { ExpressionError } from './errors.js';
import { readToken, type Token } from './tokenizer.js';

export type TemplatePart =
  | { kind: 'text'; text: string }
  /** `offset` is where `source` (the text between the braces) starts in the template. */
  | { kind: 'expression'; source: string; offset: number };

export interface CompiledTemplate {
  /** False when the value holds no `{{ }}` at all. */
  readonly hasExpressions: boolean;
  /** Slugs of the steps the template reads, without duplicates, in order of appearance. */
  readonly stepReferences: readonly string[];
  /** Evaluates the template; throws ExpressionError naming `step` when given. */
  evaluate(context: ExpressionContext, step?: string): Promise<unknown>;
}

/** What a compiled part needs: the context, the expression input built from it once, the step. */
interface Scope {
  context: ExpressionContext;
  input: unknown;
  step: string | undefined;
}
type Evaluate = (scope: Scope) => Promise<unknown>;

/**
 * Splits a string into text and `{{ }}` parts. The end of an expression is found with the
 * expression tokenizer, so `}}` inside a string literal or an object constructor
 * (`{{ {"a": {"b": 1}} }}`) does not end it. Throws ExpressionError for an unclosed `{{`.
 */
export function parseTemplate(text: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let position = 0;
  for (;;) {
    const open = text.indexOf('{{', position);
    if (open === -1) break;
    if (open > position) parts.push({ kind: 'text', text: text.slice(position, open) });
    const start = open + 2;
    const end = findExpressionEnd(text, start);
    if (end === -1) {
      throw new ExpressionError('"{{" is never closed by "}}"', { expression: text.slice(open), position: 0, templateOffset: open });
    }
    parts.push({ kind: 'expression', source: text.slice(start, end), offset: start });
    position = end + 2;
  }
  if (position < text.length) parts.push({ kind: 'text', text: text.slice(position) });
  return parts;
}

function findExpressionEnd(text: string, from: number): number {
  let depth = 0;
  let previous: Token | undefined;
  let position = from;
  for (;;) {
    const token = readToken(text, position, previous);
    if (!token) return -1;
    if (token.kind === 'operator' && token.text === '{') depth++;
    if (token.kind === 'operator' && token.text === '}') {
      if (depth === 0 && text[token.end] === '}') return token.start;
      depth = Math.max(depth - 1, 0);
    }
    if (token.kind !== 'comment') previous = token;
    position = token.end;
  }
}

/** True when `text` is exactly one `{{ }}`, give or take surrounding whitespace. */
export function isSingleExpression(text: string): boolean {
  return singleExpression(parseTemplate(text)) !== undefined;
}

/**
 * Compiles a template value (string, array, object, or any other JSON value).
 * Throws ExpressionError for syntax errors; `templateOffset` says where in the string.
 *
 * @example
 *   const body = compileTemplate({ order_id: '{{trigger.data.id}}', note: 'Order #{{trigger.data.id}}' });
 *   await body.evaluate({ trigger: { data: { id: 7 } } }); // { order_id: 7, note: 'Order #7' }
 */
export function compileTemplate(value: unknown): CompiledTemplate {
  const references: string[] = [];
  let hasExpressions = false;
  const track = (expression: CompiledExpression): void => {
    hasExpressions = true;
    for (const reference of expression.stepReferences) {
      if (!references.includes(reference.slug)) references.push(reference.slug);
    }
  };
  const evaluate = compileValue(value, track);
  return {
    hasExpressions,
    stepReferences: references,
    evaluate: (context, step) => evaluate({ context, input: templateInput(context), step }),
  };
}

function compileValue(value: unknown, track: (expression: CompiledExpression) => void): Evaluate {
  if (typeof value === 'string') return compileString(value, track);
  if (Array.isArray(value)) {
    const items = value.map((item) => compileValue(item, track));
    return async (scope) => {
      const result: unknown[] = [];
      // Sequential on purpose: expressions are CPU-bound, so parallel awaits only add overhead.
      for (const item of items) result.push((await item(scope)) ?? null);
      return result;
    };
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).map(([key, item]) => [key, compileValue(item, track)] as const);
    return async (scope) => {
      const result: Record<string, unknown> = {};
      for (const [key, item] of entries) {
        const evaluated = await item(scope);
        if (evaluated !== undefined) result[key] = evaluated;
      }
      return result;
    };
  }
  return async () => value;
}

function compileString(text: string, track: (expression: CompiledExpression) => void): Evaluate {
  if (!text.includes('{{')) return async () => text;
  const parts = parseTemplate(text);
  const single = singleExpression(parts);
  if (single) {
    const expression = compileIn(single.source, single.offset);
    track(expression);
    return (scope) => evaluateIn(expression, single.offset, scope);
  }
  const pieces = parts.map((part) => {
    if (part.kind === 'text') return part.text;
    const expression = compileIn(part.source, part.offset);
    track(expression);
    return { expression, offset: part.offset };
  });
  return async (scope) => {
    let result = '';
    for (const piece of pieces) {
      result += typeof piece === 'string' ? piece : interpolate(await evaluateIn(piece.expression, piece.offset, scope));
    }
    return result;
  };
}

/** The expression part when `parts` is one expression with nothing but whitespace around it. */
function singleExpression(parts: TemplatePart[]): Extract<TemplatePart, { kind: 'expression' }> | undefined {
  const expressions = parts.filter((part) => part.kind === 'expression');
  const onlyWhitespace = parts.every((part) => part.kind === 'expression' || part.text.trim() === '');
  return expressions.length === 1 && onlyWhitespace ? expressions[0] : undefined;
}

function compileIn(source: string, offset: number): CompiledExpression {
  try {
    return compileExpression(source);
  } catch (error) {
    throw error instanceof ExpressionError ? error.inTemplate(offset) : error;
  }
}

async function evaluateIn(expression: CompiledExpression, offset: number, scope: Scope): Promise<unknown> {
  try {
    return await expression.evaluateInput(scope.input, scope.context, scope.step);
  } catch (error) {
    throw error instanceof ExpressionError ? error.inTemplate(offset) : error;
  }
}

/** How a result reads inside text: JSON for objects and lists, nothing for null/undefined. */
export function interpolate(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
