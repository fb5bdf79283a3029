// The seed's "Update Inventory" step uses $1 with no parameters, which fails only when a
// run reaches it. Counting placeholders lets validation warn before that.

/**
 * The highest $N placeholder in `sql`, ignoring string literals, quoted identifiers,
 * dollar-quoted bodies and comments. 0 when there is none.
 *
 * @example highestPlaceholder('SELECT * FROM t WHERE a = $1 AND b = $2') // 2
 */
export function highestPlaceholder(sql: string): number {
  const code = sql
    .replace(/\$([A-Za-z_]\w*)?\$[\s\S]*?\$\1\$/g, ' ')
    .replace(/'(?:[^']|'')*'/g, ' ')
    .replace(/"(?:[^"]|"")*"/g, ' ')
    .replace(/--[^\n]*/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ');
  let highest = 0;
  for (const match of code.matchAll(/\$(\d+)/g)) highest = Math.max(highest, Number(match[1]));
  return highest;
}
