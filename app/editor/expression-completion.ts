// Completion inside `{{ }}`: the run context's names (trigger.*, steps.<slug>.result of
// the steps written above the cursor, vars.*, secrets.*), so a template can be written
// without looking names up elsewhere.

export interface ExpressionNames {
  /** Variables set in the console or the environment. */
  vars: string[];
  /** Secret names (never values). */
  secrets: string[];
}

export interface ExpressionOption {
  label: string;
  detail?: string;
}

const ROOTS: ExpressionOption[] = [
  { label: 'trigger', detail: 'the event that started the run' },
  { label: 'steps', detail: 'results of earlier steps' },
  { label: 'vars', detail: 'variables' },
  { label: 'secrets', detail: 'secrets (shown as *** in logs)' },
  { label: 'workflow', detail: 'name, slug, version' },
  { label: 'run', detail: 'id, attempt' },
  { label: 'item', detail: 'the element inside a loop' },
  { label: 'index', detail: 'its position' },
  { label: 'error', detail: 'the failure, in on_failure' },
  { label: 'now', detail: 'ISO time' },
  { label: 'date', detail: 'YYYY-MM-DD' },
];

const TRIGGER_FIELDS: ExpressionOption[] = [
  { label: 'data', detail: 'body, row, file or message' },
  { label: 'headers', detail: 'webhook request headers' },
  { label: 'query', detail: 'webhook query parameters' },
  { label: 'parameters', detail: 'manual run parameters' },
];

/** snake_case slug of a step name, as server/workflow/slugs.ts makes it (enough for completion). */
export function stepSlugOf(name: string): string {
  const words = name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
  const slug = words.join('_');
  return /^\d/.test(slug) ? `step_${slug}` : slug;
}

/** Slugs of the steps before the one `pos` is in (`- name: X` or an explicit `slug:`), in order. */
export function earlierSteps(doc: string, pos: number): string[] {
  const slugs: string[] = [];
  // Lists above `steps:` (manual trigger parameters) have `- name:` items too.
  const stepsAt = doc.search(/^\s*steps:/m);
  if (stepsAt < 0 || stepsAt > pos) return slugs;
  for (const match of doc.slice(stepsAt, pos).matchAll(/^\s*(?:-\s+)?(name|slug):\s*["']?([^"'#\n]+?)["']?\s*(?:#.*)?$/gm)) {
    const [, key, value = ''] = match;
    // A step's `name:` starts a list item; the workflow's own name does not.
    if (key === 'name' && !/^\s*-\s/.test(match[0])) continue;
    const slug = key === 'slug' ? value : stepSlugOf(value);
    if (key === 'slug' && slugs.length > 0 && /^\s+slug:/.test(match[0])) slugs[slugs.length - 1] = slug;
    else if (key === 'name') slugs.push(slug);
  }
  // The last one is the step being written: its own result does not exist yet.
  return slugs.slice(0, -1);
}

/**
 * What may follow the path typed after `{{` at `pos`, or null outside a template.
 * @example expressionOptions('message: "{{steps.', 17, names) // { from: 17, options: [{ label: 'check_inventory' }, ...] }
 */
export function expressionOptions(doc: string, pos: number, names: ExpressionNames): { from: number; options: ExpressionOption[] } | null {
  const lineStart = doc.lastIndexOf('\n', pos - 1) + 1;
  const before = doc.slice(lineStart, pos);
  const open = before.lastIndexOf('{{');
  if (open < 0 || before.indexOf('}}', open) >= 0) return null;
  const path = /([\w.]*)$/.exec(before)?.[1] ?? '';
  const parts = path.split('.');
  const word = parts.pop() ?? '';
  const from = pos - word.length;
  const options = ((): ExpressionOption[] => {
    if (parts.length === 0) return ROOTS;
    const [root, second] = parts;
    if (parts.length === 1 && root === 'trigger') return TRIGGER_FIELDS;
    if (parts.length === 1 && root === 'vars') return names.vars.map((label) => ({ label, detail: 'variable' }));
    if (parts.length === 1 && root === 'secrets') return names.secrets.map((label) => ({ label, detail: 'secret' }));
    if (parts.length === 1 && root === 'steps') return earlierSteps(doc, lineStart).map((label) => ({ label, detail: 'step above' }));
    if (parts.length === 2 && root === 'steps' && second) return [{ label: 'result', detail: `what ${second} returned` }];
    if (parts.length === 1 && root === 'workflow') return ['name', 'slug', 'version'].map((label) => ({ label }));
    if (parts.length === 1 && root === 'run') return ['id', 'attempt'].map((label) => ({ label }));
    return [];
  })();
  return { from, options: options.filter((o) => o.label.startsWith(word)) };
}
