// Turns the seed's expression dialect into plain JSONata, token by token (so text inside
// string literals, regexes and backtick names is never touched):
//
//   string(x)                 -> $string(x)         jsonata functions without `$`
//   sum(x)                    -> $__sum(x)          helpers without `$` (`$sum` stays jsonata's)
//   $.items[].price | sum     -> $.items[].price ~> $__sum          jq-like pipe into a function
//   all(rows[].stock > 0)     -> $__all($map(rows, function($__element){ $__element.stock > 0 }))
//   khaosbase_url             -> vars.khaosbase_url every variable is also a bare name
//   library.loans.%.%         -> $__vars.library.loans.%.%   (with `%`: see documentVariable)
//   item.price (item mode)    -> $item.price        the element is also reachable as `item`
//
// Plain JSONata would compare the whole array `rows[].stock` with 0; the seed means "every
// row", so all/any over `X[]<rest>` evaluate `<rest>` once per element of X.
//
// Nothing else changes: bare names are variables only where they would be looked up in
// the run context itself, never inside a path step (`items.{"sku": sku}`, `items.[a, b]`,
// `items.$string(sku)`), a predicate, a wildcard's predicate or a function signature.
import { helperPrefix } from './helpers.js';
import { SourceBuilder } from './source-map.js';
import { endsOperand, tokenize, type Token } from './tokenizer.js';

export interface RewriteOptions {
  /** Function names callable without `$` (helpers plus jsonata's own functions). */
  callable: ReadonlySet<string>;
  /** The helpers among them, bound as `$__<name>` so they never replace jsonata's `$<name>`. */
  helpers: ReadonlySet<string>;
  /**
   * template: the input is the run context; a bare name that is not one of `contextNames`
   * is a variable. item: the input is one element (filter/map/sort) and bare `item` names it.
   */
  mode: 'template' | 'item';
  /** The run context's own names (trigger, steps, vars, ...). */
  contextNames: ReadonlySet<string>;
}

export interface RewrittenExpression {
  text: string;
  /** Maps an offset in `text` back to an offset in the original source. */
  toOrigin: (offset: number) => number;
}

type Scope = 'predicate' | 'array' | 'group' | 'object' | 'paren' | 'paren-relative' | 'step' | 'params' | 'block' | 'transform';
// Inside these, bare names address the current element, not the expression's input.
// `step`: a constructor or call that is itself a path step (`items.{...}`, `items.$fn(sku)`).
const relativeScopes = new Set<Scope>(['predicate', 'group', 'paren-relative', 'step', 'transform']);

interface Structure {
  /** Index of the matching bracket for every bracket token. */
  match: Map<number, number>;
  /** Whether the token sits where bare names address a current element. */
  relative: boolean[];
  /** The `|` tokens that delimit a transform `| location | update |` (never a pipe). */
  transformBars: Set<number>;
  /** Tokens of a function signature `<n-n:n>` (type letters, not names). */
  signature: Set<number>;
  /** Whether the parent operator `%` appears (as an operand, not as modulo). */
  usesParent: boolean;
}

/**
 * In template mode a bare name at the top is a variable, normally `vars.<name>`. With the
 * parent operator `%` that would count `vars` as one more ancestor (`library.loans.%.%.%`
 * would reach the run context instead of failing as in JSONata), so such expressions start
 * those paths at the variable `$__vars` (bound to the run's vars), which is no path step.
 */
export const documentVariable = '__vars';

/** Rewrites `source`; malformed input is passed through for jsonata to report. */
export function rewriteExpression(source: string, options: RewriteOptions): RewrittenExpression {
  const tokens = tokenize(source).filter((token) => token.kind !== 'comment');
  const structure = analyse(tokens);
  const variables = structure.usesParent ? `$${documentVariable}.` : 'vars.';
  const out = new SourceBuilder();
  let cursor = 0;

  const emitGap = (upTo: number): void => {
    if (upTo > cursor) out.append(source.slice(cursor, upTo), cursor);
    cursor = Math.max(cursor, upTo);
  };
  const emit = (token: Token, text = token.text): void => {
    emitGap(token.start);
    out.append(text, token.start, token.end - token.start);
    cursor = token.end;
  };
  const insert = (text: string): void => out.append(text, cursor, 0);

  const emitRange = (from: number, to: number): void => {
    let pipeTarget = -1;
    for (let i = from; i < to; i++) {
      const token = tokens[i]!;
      const previous = tokens[i - 1];
      const next = tokens[i + 1];
      const calls = next?.kind === 'operator' && next.text === '(';

      const perElement = calls ? perElementCall(tokens, structure, i) : undefined;
      if (perElement) {
        emit(token, `$${helperPrefix}${bareName(token)}`);
        emit(next!);
        emitGap(tokens[perElement.baseFrom]!.start);
        insert('$map(');
        emitRange(perElement.baseFrom, perElement.brackets);
        cursor = tokens[perElement.brackets + 1]!.end; // drop the `[]`
        insert(', function($__element){ $__element');
        emitRange(perElement.brackets + 2, perElement.close);
        insert(' })');
        emit(tokens[perElement.close]!);
        i = perElement.close;
        continue;
      }
      if (structure.signature.has(i)) {
        emit(token);
      } else if (token.kind === 'name' && options.callable.has(token.text) && (calls || pipeTarget === i)) {
        emit(token, options.helpers.has(token.text) ? `$${helperPrefix}${token.text}` : `$${token.text}`);
      } else if (
        token.kind === 'operator' &&
        token.text === '|' &&
        !structure.transformBars.has(i) &&
        endsOperand(previous) &&
        isPipeTarget(next, options)
      ) {
        emit(token, '~>');
        pipeTarget = i + 1;
      } else if (startsPath(token, previous, calls) && !structure.relative[i]) {
        emit(token, bareNameAtStart(token, options, variables));
      } else if (options.mode === 'template' && quotedPathStart(token, previous, next) && !structure.relative[i]) {
        // `"foo".bar` starts a path at the field "foo" (jsonata reads a string before `.` as a name).
        emit(token, options.contextNames.has(token.text.slice(1, -1)) ? token.text : `${variables}${token.text}`);
      } else {
        emit(token);
      }
    }
  };

  emitRange(0, tokens.length);
  emitGap(source.length);
  return out.build();
}

/** A field name that begins a path (so it is looked up in the expression's input). */
function startsPath(token: Token, previous: Token | undefined, calls: boolean): boolean {
  if (calls) return false;
  if (token.kind === 'quoted-name') return !(previous?.kind === 'operator' && previous.text === '.');
  if (
    token.kind !== 'name' ||
    !endsOperand(token) ||
    token.text === 'function' ||
    token.text === 'true' ||
    token.text === 'false' ||
    token.text === 'null'
  )
    return false;
  return !(previous?.kind === 'operator' && previous.text === '.');
}

function quotedPathStart(token: Token, previous: Token | undefined, next: Token | undefined): boolean {
  return (
    token.kind === 'string' &&
    next?.kind === 'operator' &&
    next.text === '.' &&
    !endsOperand(previous) &&
    !(previous?.kind === 'operator' && previous.text === '.')
  );
}

function bareNameAtStart(token: Token, options: RewriteOptions, variables: string): string {
  const name = token.kind === 'quoted-name' ? token.text.slice(1, -1) : token.text;
  if (options.mode === 'item') return name === 'item' ? '$item' : token.text;
  return options.contextNames.has(name) ? token.text : `${variables}${token.text}`;
}

function bareName(token: Token): string {
  return token.kind === 'variable' ? token.text.slice(1) : token.text;
}

function isPipeTarget(token: Token | undefined, options: RewriteOptions): boolean {
  if (!token) return false;
  if (token.kind === 'name') return options.callable.has(token.text);
  return token.kind === 'variable' && token.text.length > 1 && token.text !== '$$';
}

/**
 * For `all(`/`any(` at `index` whose single argument is `<path>[]<rest>` with a non-empty
 * rest, returns where the path, the `[]` and the closing parenthesis are.
 */
function perElementCall(
  tokens: Token[],
  structure: Structure,
  index: number,
): { baseFrom: number; brackets: number; close: number } | undefined {
  const token = tokens[index]!;
  const name = token.kind === 'name' ? token.text : token.kind === 'variable' ? token.text.slice(1) : '';
  if (name !== 'all' && name !== 'any') return undefined;
  const close = structure.match.get(index + 1);
  if (close === undefined) return undefined;
  const baseFrom = index + 2;
  for (let k = baseFrom; k < close; k++) {
    const current = tokens[k]!;
    if (current.kind === 'operator' && current.text === ',') return undefined; // more than one argument
    const after = tokens[k + 1];
    if (current.kind === 'operator' && current.text === '[' && after?.text === ']' && after.kind === 'operator') {
      const hasRest = k + 2 < close;
      return hasRest && k > baseFrom && isPath(tokens, baseFrom, k, structure) ? { baseFrom, brackets: k, close } : undefined;
    }
    const skipTo = structure.match.get(k);
    if (skipTo !== undefined && skipTo > k) k = skipTo;
  }
  return undefined;
}

/** A path: names, variables and `.` at the top level, with any bracketed groups in between. */
function isPath(tokens: Token[], from: number, to: number, structure: Structure): boolean {
  for (let k = from; k < to; k++) {
    const token = tokens[k]!;
    const skipTo = structure.match.get(k);
    if (skipTo !== undefined && skipTo > k) {
      k = skipTo;
      continue;
    }
    const ok =
      token.kind === 'quoted-name' ||
      token.kind === 'variable' ||
      (token.kind === 'name' && endsOperand(token)) ||
      (token.kind === 'operator' && token.text === '.');
    if (!ok) return false;
  }
  return true;
}

/** Pairs brackets and works out which tokens sit in an element-relative scope. */
function analyse(tokens: Token[]): Structure {
  const match = new Map<number, number>();
  const relative: boolean[] = [];
  const transformBars = new Set<number>();
  const signature = new Set<number>();
  const stack: { scope: Scope; index: number; pipes?: number }[] = [];
  let closedParams = false;
  // A wildcard `*`/`**` or parent `%` in operand position is itself an operand, so a
  // following `[` is its predicate.
  let operandSymbol = false;
  let usesParent = false;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const previous = tokens[i - 1];
    relative[i] = stack.some((entry) => relativeScopes.has(entry.scope));
    const afterOperand = endsOperand(previous) || operandSymbol;
    operandSymbol = false;
    if (token.kind !== 'operator') {
      closedParams = false;
      continue;
    }
    if (closedParams && token.text === '<') {
      i = skipSignature(tokens, i, signature);
      continue; // a body `{` still follows the parameters
    }
    if ((token.text === '*' || token.text === '**' || token.text === '%') && !afterOperand) {
      operandSymbol = true;
      if (token.text === '%') usesParent = true;
      closedParams = false;
      continue;
    }
    // A transform `| location | update |` opens with a prefix `|` and ends at the third.
    const top = stack[stack.length - 1];
    if (token.text === '|' && top?.scope === 'transform') {
      transformBars.add(i);
      top.pipes = (top.pipes ?? 0) + 1;
      if (top.pipes === 2) stack.pop();
      continue;
    }
    if (token.text === '|' && !afterOperand) {
      transformBars.add(i);
      stack.push({ scope: 'transform', index: i, pipes: 0 });
      continue;
    }
    const open = openingScope(token.text, previous, tokens[i - 2], afterOperand, closedParams);
    closedParams = false;
    if (open) {
      stack.push({ scope: open, index: i });
    } else if (token.text === ']' || token.text === '}' || token.text === ')') {
      const top = stack.pop();
      if (top) {
        match.set(top.index, i);
        match.set(i, top.index);
        closedParams = top.scope === 'params';
      }
    }
  }
  return { match, relative, transformBars, signature, usesParent };
}

/** Marks the tokens of a signature `<...>` (which may nest: `<a<n>:n>`); returns its last index. */
function skipSignature(tokens: Token[], from: number, signature: Set<number>): number {
  let depth = 0;
  for (let k = from; k < tokens.length; k++) {
    const token = tokens[k]!;
    signature.add(k);
    if (token.kind === 'operator' && token.text === '<') depth++;
    if (token.kind === 'operator' && token.text === '>') depth--;
    if (depth === 0) return k;
  }
  return tokens.length - 1;
}

function openingScope(
  text: string,
  previous: Token | undefined,
  beforePrevious: Token | undefined,
  afterOperand: boolean,
  closedParams: boolean,
): Scope | undefined {
  const afterDot = previous?.kind === 'operator' && previous.text === '.';
  switch (text) {
    case '[':
      if (afterDot) return 'step';
      return afterOperand ? 'predicate' : 'array';
    case '{':
      if (closedParams) return 'block';
      if (afterDot) return 'step';
      return afterOperand ? 'group' : 'object';
    case '(':
      // `.(...)` maps over elements and `^(...)` holds sort keys: both address elements.
      if (afterDot || (previous?.kind === 'operator' && previous.text === '^')) return 'paren-relative';
      if (previous?.kind === 'name' && (previous.text === 'function' || previous.text === 'λ')) return 'params';
      // `items.$fn(sku)`: a call that is a path step gets each element as its context.
      if (
        (previous?.kind === 'variable' || previous?.kind === 'name') &&
        beforePrevious?.kind === 'operator' &&
        beforePrevious.text === '.'
      )
        return 'step';
      return 'paren';
    default:
      return undefined;
  }
}
