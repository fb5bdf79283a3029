// A JSONata tokenizer, used only to rewrite expressions (helpers without `$`, the jq-like
// pipe) and to find where a `{{ }}` ends. It mirrors the lexer in jsonata's parser closely
// enough that string literals, regex literals, comments and backtick names are never
// mistaken for code; anything malformed is passed through so that jsonata itself reports
// the syntax error with its own position.

export type TokenKind =
  | 'name' // field name or keyword (`function`, `true`, ...); `and`/`or`/`in` where a name may stand
  | 'quoted-name' // `a name with spaces`
  | 'variable' // $name, $, $$
  | 'string'
  | 'number'
  | 'regex'
  | 'operator' // punctuation, and `and`/`or`/`in` after an operand
  | 'comment';

export interface Token {
  kind: TokenKind;
  text: string;
  /** Offset of the first character in the source. */
  start: number;
  /** Offset just past the last character. */
  end: number;
}

const multiCharOperators = ['**', '..', ':=', '!=', '<=', '>=', '~>', '?:', '??'];
const singleCharOperators = new Set('.[]{}(),@#;:?+-*/%|=<>^&!~'.split(''));
const whitespace = new Set([' ', '\t', '\n', '\r', '\v', '\f']);
const numberPattern = /^(0|[1-9][0-9]*)(\.[0-9]+)?([Ee][-+]?[0-9]+)?/;
/**
 * Names that jsonata reads as operators after an operand; where an operand may start
 * (`and = 1`, `x.or`) they are field names, as in jsonata's parser.
 */
const wordOperators = new Set(['and', 'or', 'in']);

/**
 * True when `token` ends an operand, so that a following `[` is a predicate, `{` a
 * group-by, `/` a division and `|` an infix pipe. Mirrors jsonata's prefix/infix state.
 */
export function endsOperand(token: Token | undefined): boolean {
  if (!token) return false;
  switch (token.kind) {
    case 'name':
    case 'quoted-name':
    case 'variable':
    case 'string':
    case 'number':
    case 'regex':
      return true;
    case 'operator':
      return token.text === ')' || token.text === ']' || token.text === '}';
    default:
      return false;
  }
}

/**
 * Reads the token starting at or after `position` (whitespace is skipped).
 * `previous` is the last significant token, needed to tell a regex from a division.
 * Returns undefined at the end of the source.
 */
export function readToken(source: string, position: number, previous: Token | undefined): Token | undefined {
  let pos = position;
  while (pos < source.length && whitespace.has(source[pos]!)) pos++;
  if (pos >= source.length) return undefined;
  const start = pos;
  const ch = source[pos]!;
  const next = source[pos + 1];

  if (ch === '/' && next === '*') {
    const close = source.indexOf('*/', pos + 2);
    const end = close === -1 ? source.length : close + 2;
    return { kind: 'comment', text: source.slice(start, end), start, end };
  }
  if (ch === '/' && !endsOperand(previous)) {
    return readRegex(source, start);
  }
  if (ch === '"' || ch === "'") {
    return readQuoted(source, start, 'string');
  }
  if (ch === '`') {
    const close = source.indexOf('`', pos + 1);
    const end = close === -1 ? source.length : close + 1;
    return { kind: 'quoted-name', text: source.slice(start, end), start, end };
  }
  const number = numberPattern.exec(source.slice(pos, pos + 64));
  if (number && !isNameChar(source[pos + number[0].length])) {
    const end = pos + number[0].length;
    return { kind: 'number', text: number[0], start, end };
  }
  for (const op of multiCharOperators) {
    if (source.startsWith(op, pos)) return { kind: 'operator', text: op, start, end: pos + op.length };
  }
  if (singleCharOperators.has(ch)) {
    return { kind: 'operator', text: ch, start, end: pos + 1 };
  }
  if (ch === '$') {
    pos++;
    if (source[pos] === '$') pos++;
    while (pos < source.length && isNameChar(source[pos])) pos++;
    return { kind: 'variable', text: source.slice(start, pos), start, end: pos };
  }
  while (pos < source.length && isNameChar(source[pos])) pos++;
  if (pos === start) pos++; // a stray character jsonata will reject; keep moving
  const text = source.slice(start, pos);
  const kind = wordOperators.has(text) && endsOperand(previous) ? 'operator' : 'name';
  return { kind, text, start, end: pos };
}

/** Tokenizes the whole source, comments included. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let previous: Token | undefined;
  let position = 0;
  for (;;) {
    const token = readToken(source, position, previous);
    if (!token) return tokens;
    tokens.push(token);
    if (token.kind !== 'comment') previous = token;
    position = token.end;
  }
}

function isNameChar(ch: string | undefined): boolean {
  return ch !== undefined && !whitespace.has(ch) && !singleCharOperators.has(ch) && ch !== '"' && ch !== "'" && ch !== '`';
}

function readQuoted(source: string, start: number, kind: 'string'): Token {
  const quote = source[start];
  let pos = start + 1;
  while (pos < source.length) {
    const ch = source[pos];
    if (ch === '\\') pos += 2;
    else if (ch === quote) return { kind, text: source.slice(start, pos + 1), start, end: pos + 1 };
    else pos++;
  }
  return { kind, text: source.slice(start), start, end: source.length };
}

function readRegex(source: string, start: number): Token {
  let pos = start + 1;
  let depth = 0; // jsonata lets `/` appear unescaped inside [...] classes
  while (pos < source.length) {
    const ch = source[pos];
    if (ch === '\\') pos += 2;
    else if (ch === '[') {
      depth++;
      pos++;
    } else if (ch === ']' && depth > 0) {
      depth--;
      pos++;
    } else if (ch === '/' && depth === 0) {
      pos++;
      while (pos < source.length && /[a-z]/i.test(source[pos]!)) pos++;
      return { kind: 'regex', text: source.slice(start, pos), start, end: pos };
    } else pos++;
  }
  return { kind: 'regex', text: source.slice(start), start, end: source.length };
}
