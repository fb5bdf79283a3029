// File name patterns for file_list: `*` (any run of characters), `?` (one character),
// `[abc]` / `[a-z]` / `[!abc]` (a character class) and `{csv,tsv}` (alternatives).
// Patterns match names, not paths: a slash is not special.

/**
 * @example globToRegExp('*.{csv,tsv}').test('orders.csv') // true
 */
export function globToRegExp(pattern: string): RegExp {
  let out = '';
  let inGroup = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end === -1) {
        out += '\\[';
        continue;
      }
      let body = pattern.slice(i + 1, end);
      if (body.startsWith('!')) body = `^${body.slice(1)}`;
      out += `[${body.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else if (c === '{' && !inGroup) {
      inGroup = true;
      out += '(?:';
    } else if (c === '}' && inGroup) {
      inGroup = false;
      out += ')';
    } else if (c === ',' && inGroup) out += '|';
    else out += c.replace(/[.+^$()|\\\]{}]/g, '\\$&');
  }
  if (inGroup) out += ')';
  return new RegExp(`^${out}$`, 's');
}
