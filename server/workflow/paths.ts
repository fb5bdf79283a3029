// Paths into a workflow document, as data (for finding YAML nodes) and as text (for
// messages and step paths): ['steps', 2, 'action', 'retry'] <-> steps[2].action.retry.

export type PathSegment = string | number;

/** @example formatPath(['steps', 2, 'action', 'retry']) // 'steps[2].action.retry' */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(String(segment))) text += (text ? '.' : '') + String(segment);
    else text += `[${JSON.stringify(String(segment))}]`;
  }
  return text;
}
