// File name patterns, one dialect for every `pattern:` in a workflow (file watchers
// and file_list): "*.csv", "report-??.{csv,tsv}", "**/*.json".
// chokidar 4 dropped glob support and Node 20's path.matchesGlob prints an
// experimental warning, so this is the small subset patterns need:
//   *  any run of characters except "/"     ?  one character except "/"
//   ** any run of characters, "/" included  [abc] [a-z] [!abc]  a character class
//   {a,b}  either alternative
// A pattern without "/" is matched against the file name alone, at any depth.

function escapeRegExp(text: string): string {
  return text.replace(/[.+^${}()|\\/]/g, '\\$&');
}

function toRegExpSource(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        i++;
        if (pattern[i + 1] === '/') {
          i++;
          out += '(?:.*/)?';
        } else out += '.*';
      } else out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close === -1) out += '\\[';
      else {
        const body = pattern.slice(i + 1, close);
        out += `[${body.startsWith('!') ? `^${body.slice(1)}` : body.replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else if (c === '{') {
      const close = pattern.indexOf('}', i);
      if (close === -1) out += '\\{';
      else {
        out += `(?:${pattern
          .slice(i + 1, close)
          .split(',')
          .map(toRegExpSource)
          .join('|')})`;
        i = close;
      }
    } else out += escapeRegExp(c);
  }
  return out;
}

/**
 * @example const isCsv = globMatcher('*.csv'); isCsv('uploads/2024/a.csv') // true (name only)
 */
export function globMatcher(pattern: string | undefined): (relativePath: string) => boolean {
  if (pattern === undefined || pattern === '' || pattern === '*' || pattern === '**') return () => true;
  const regexp = new RegExp(`^${toRegExpSource(pattern)}$`);
  const byName = !pattern.includes('/');
  return (relativePath) => regexp.test(byName ? relativePath.slice(relativePath.lastIndexOf('/') + 1) : relativePath);
}
