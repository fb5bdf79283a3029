// A database trigger's `filter` ("status = 'new'") becomes the WHEN condition of the
// SQL trigger: bare column names are rewritten to NEW."status" (OLD. for DELETE), and
// Postgres itself then compiles and checks the condition when the trigger is created.
// The text is tokenized, never pasted: string literals, quoted identifiers and
// dollar quotes are skipped as units, and anything that could end the condition
// early (an unbalanced parenthesis, a semicolon, a comment) is refused here.

export class FilterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FilterError';
  }
}

type Token =
  | { kind: 'identifier'; text: string; name: string; quoted: boolean }
  | { kind: 'string' | 'number' | 'space' | 'symbol'; text: string };

const IDENT_START = /[A-Za-z_\u0080-\uffff]/;
const IDENT_PART = /[A-Za-z0-9_$\u0080-\uffff]/;

function readQuoted(text: string, start: number, quote: string, backslashEscapes: boolean): number {
  for (let i = start + 1; i < text.length; i++) {
    if (backslashEscapes && text[i] === '\\') i++;
    else if (text[i] === quote) {
      if (text[i + 1] === quote) i++;
      else return i + 1;
    }
  }
  throw new FilterError(`the filter has an unclosed ${quote === '"' ? 'quoted name' : 'string'} starting at character ${start + 1}`);
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let depth = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const rest = text.slice(i);
    let end: number;
    if (/\s/.test(c)) {
      end = i + /^\s+/.exec(rest)![0].length;
      tokens.push({ kind: 'space', text: text.slice(i, end) });
    } else if (rest.startsWith('--') || rest.startsWith('/*')) {
      throw new FilterError('comments are not allowed in a filter');
    } else if (c === ';') {
      throw new FilterError('a filter is one condition; ";" is not allowed');
    } else if (c === "'") {
      end = readQuoted(text, i, "'", false);
      tokens.push({ kind: 'string', text: text.slice(i, end) });
    } else if (/[EeBbXxNn]/.test(c) && text[i + 1] === "'") {
      end = readQuoted(text, i + 1, "'", c === 'E' || c === 'e');
      tokens.push({ kind: 'string', text: text.slice(i, end) });
    } else if (c === '"') {
      end = readQuoted(text, i, '"', false);
      const raw = text.slice(i, end);
      tokens.push({ kind: 'identifier', text: raw, name: raw.slice(1, -1).replaceAll('""', '"'), quoted: true });
    } else if (c === '$') {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(rest);
      if (!tag) throw new FilterError('parameters ($1) are not allowed in a filter; write the value itself');
      const close = text.indexOf(tag[0], i + tag[0].length);
      if (close === -1) throw new FilterError(`the filter has an unclosed ${tag[0]} quote`);
      end = close + tag[0].length;
      tokens.push({ kind: 'string', text: text.slice(i, end) });
    } else if (IDENT_START.test(c)) {
      end = i + 1;
      while (end < text.length && IDENT_PART.test(text[end]!)) end++;
      const raw = text.slice(i, end);
      tokens.push({ kind: 'identifier', text: raw, name: raw.toLowerCase(), quoted: false });
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      end = i + /^(\d*\.?\d+(e[+-]?\d+)?|\d+\.)/i.exec(rest)![0].length;
      tokens.push({ kind: 'number', text: text.slice(i, end) });
    } else {
      end = i + (rest.startsWith('::') ? 2 : 1);
      if (c === '(') depth++;
      if (c === ')' && --depth < 0) throw new FilterError(`the filter closes a parenthesis it never opened (character ${i + 1})`);
      tokens.push({ kind: 'symbol', text: text.slice(i, end) });
    }
    i = end;
  }
  if (depth !== 0) throw new FilterError('the filter leaves a parenthesis open');
  return tokens;
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Rewrites bare column names of the table to `<row>."column"`. A name is left alone
 * when it is qualified (`NEW.status`, `t.x`), qualifies something, calls a function
 * (`lower(`), names a type (`::text`, `as text`) or prefixes a typed literal
 * (`date '2024-01-01'`).
 * @example toCondition("status = 'new'", ['id', 'status'], 'NEW') // NEW."status" = 'new'
 */
export function toCondition(filter: string, columns: readonly string[], row: 'NEW' | 'OLD'): string {
  const tokens = tokenize(filter);
  if (!tokens.some((t) => t.kind !== 'space')) throw new FilterError('the filter is empty');
  const known = new Set(columns);
  const significant = (from: number, step: 1 | -1): Token | undefined => {
    for (let j = from + step; j >= 0 && j < tokens.length; j += step) if (tokens[j]!.kind !== 'space') return tokens[j];
    return undefined;
  };
  return tokens
    .map((token, index) => {
      if (token.kind !== 'identifier') return token.text;
      // Unquoted names fold to lower case, as Postgres folds them.
      const column = token.name;
      if (!known.has(column)) return token.text;
      const before = significant(index, -1);
      const after = significant(index, 1);
      if (
        before &&
        ((before.kind === 'symbol' && (before.text === '.' || before.text === '::')) ||
          (before.kind === 'identifier' && !before.quoted && before.name === 'as'))
      )
        return token.text;
      if (after && ((after.kind === 'symbol' && (after.text === '.' || after.text === '(')) || after.kind === 'string')) return token.text;
      return `${row}.${quoteIdentifier(column)}`;
    })
    .join('');
}
