// The yaml parser recurses once per nesting level, and running out of stack there can
// abort the whole process (V8 fails hard when it is out of stack while compiling a regex)
// instead of throwing. Workflow files never nest deeply, so absurd nesting is refused by a
// cheap scan before parsing.

export const maxNesting = 200;

/**
 * The offset where `text` nests deeper than `maxNesting`: flow brackets, leading `- `
 * markers, or indentation beyond twice that many columns. Undefined when it does not.
 * Quoted text and comments are skipped; a block scalar's brackets are counted, which
 * can only matter for text with hundreds of unclosed brackets.
 */
export function tooDeep(text: string): number | undefined {
  let flow = 0;
  let lineStart = true;
  let indent = 0;
  let dashes = 0;
  let previous = '\n';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\n') {
      lineStart = true;
      indent = 0;
      dashes = 0;
      previous = ch;
      continue;
    }
    if (lineStart) {
      if (ch === ' ') {
        if (++indent > maxNesting * 2) return i;
        continue;
      }
      if (ch === '-' && (text[i + 1] === ' ' || text[i + 1] === '\n' || i + 1 === text.length)) {
        if (++dashes > maxNesting) return i;
        i++;
        continue;
      }
      lineStart = false;
    }
    if (ch === '#' && (previous === ' ' || previous === '\n' || previous === '\t')) {
      const end = text.indexOf('\n', i);
      i = (end === -1 ? text.length : end) - 1;
      continue;
    }
    if ((ch === '"' || ch === "'") && startsScalar(previous)) {
      i = closingQuote(text, i);
      previous = ch;
      continue;
    }
    if (ch === '[' || ch === '{') {
      if (++flow > maxNesting) return i;
    } else if ((ch === ']' || ch === '}') && flow > 0) {
      flow--;
    }
    if (ch !== ' ' && ch !== '\t') previous = ch;
    else previous = ' ';
  }
  return undefined;
}

/** A quote only opens a quoted scalar where a scalar may begin. */
function startsScalar(previous: string): boolean {
  return (
    previous === ' ' ||
    previous === '\n' ||
    previous === '[' ||
    previous === '{' ||
    previous === ',' ||
    previous === ':' ||
    previous === '-'
  );
}

function closingQuote(text: string, open: number): number {
  const quote = text[open];
  for (let i = open + 1; i < text.length; i++) {
    if (quote === '"' && text[i] === '\\') i++;
    else if (text[i] === quote) {
      if (quote === "'" && text[i + 1] === "'") i++;
      else return i;
    }
  }
  return text.length;
}
