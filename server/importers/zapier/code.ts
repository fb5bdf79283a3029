// Code by Zapier (CodeAPI) as a run_script step. Zapier code reads `inputData` (Python:
// `input_data`), a map of text fields the user filled from earlier steps, and answers
// by setting `output` or returning a value. run_script code is never templated, so the
// input fields are rebuilt in the script from `context` (what the step sees of the run),
// and the user's code runs unchanged inside a function that hands `output` back.
import { stepSlug } from '../../workflow/index.js';
import type { Conversion, NodeConverter, ZapContext } from './context.js';
import { appKey } from './naming.js';
import { parseReference } from './references.js';
import type { ZapNode } from './types.js';

/** An expression path (`trigger.data.a`, `steps.x.result.body.b`) as JavaScript reading `context`. */
function javascriptPath(path: string): string {
  const parts = path.match(/`[^`]*`|\[\d+\]|[^.[\]`]+/g) ?? [];
  return (
    'context' +
    parts
      .map((part) => (part.startsWith('[') ? `?.${part}` : part.startsWith('`') ? `?.[${JSON.stringify(part.slice(1, -1))}]` : `?.${part}`))
      .join('')
  );
}

/** One input field (Zapier text with references) as a JavaScript or Python expression. */
function inputExpression(node: ZapNode, ctx: ZapContext, value: unknown, language: 'javascript' | 'python'): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value ?? '');
  const resolve = ctx.resolver(node);
  const parts: string[] = [];
  let last = 0;
  for (const match of text.matchAll(/\{\{([^{}]*)\}\}/g)) {
    if (match.index > last) parts.push(JSON.stringify(text.slice(last, match.index)));
    const path = parseReference(match[1]!) ? resolve(match[1]!) : undefined;
    parts.push(
      path === undefined
        ? JSON.stringify(match[0])
        : language === 'javascript'
          ? `text(${javascriptPath(path)})`
          : `text(${pythonPath(path)})`,
    );
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push(JSON.stringify(text.slice(last)));
  return parts.length === 0 ? '""' : parts.join(' + ');
}

/** The same path for Python, over the JSON context read from stdin. */
function pythonPath(path: string): string {
  const parts = path.match(/`[^`]*`|\[\d+\]|[^.[\]`]+/g) ?? [];
  return `dig(context, ${parts.map((part) => (part.startsWith('[') ? part.slice(1, -1) : JSON.stringify(part.replace(/`/g, '')))).join(', ')})`;
}

function inputFields(node: ZapNode): Record<string, unknown> {
  const raw = node.params.input_data ?? node.params.inputData ?? {};
  if (Array.isArray(raw))
    return Object.fromEntries(
      raw.filter((i) => i && typeof i === 'object' && 'key' in i).map((i: Record<string, unknown>) => [String(i.key), i.value]),
    );
  return typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
}

function javascriptCode(node: ZapNode, ctx: ZapContext, code: string): string {
  const fields = Object.entries(inputFields(node)).map(
    ([key, value]) => `  ${JSON.stringify(key)}: ${inputExpression(node, ctx, value, 'javascript')},`,
  );
  // A user's own `let output` / `const output` would clash with the one declared here.
  const declaresOutput = /\b(let|const|var)\s+output\b/.test(code);
  return [
    '// Imported from Code by Zapier. Zapier passed every input field as text.',
    "const text = (value) => (value === undefined || value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value));",
    'const inputData = {',
    ...fields,
    '};',
    `const zapierCode = async (inputData) => {`,
    ...(declaresOutput ? [] : ['  let output;']),
    code.replace(/\s+$/, ''),
    '  return output;',
    '};',
    'return await zapierCode(inputData);',
    '',
  ].join('\n');
}

function pythonCode(node: ZapNode, ctx: ZapContext, code: string): string {
  const fields = Object.entries(inputFields(node)).map(
    ([key, value]) => `    ${JSON.stringify(key)}: ${inputExpression(node, ctx, value, 'python')},`,
  );
  const body = code
    .replace(/\s+$/, '')
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
  return [
    '# Imported from Code by Zapier. Zapier passed every input field as text.',
    'import json, sys',
    'context = json.load(sys.stdin)',
    'def dig(value, *keys):',
    '    for key in keys:',
    '        if isinstance(value, dict): value = value.get(key)',
    '        elif isinstance(value, list) and isinstance(key, int) and key < len(value): value = value[key]',
    '        else: return None',
    '    return value',
    'def text(value):',
    "    return '' if value is None else json.dumps(value) if isinstance(value, (dict, list)) else str(value)",
    'input_data = {',
    ...fields,
    '}',
    'def zapier_code(input_data):',
    '    output = None',
    body,
    '    return output',
    'print(json.dumps(zapier_code(input_data)))',
    '',
  ].join('\n');
}

export const codeConverter: NodeConverter = {
  matches: (node) => appKey(node.app) === 'CodeAPI',
  convert(node: ZapNode, ctx: ZapContext): Conversion {
    const python = /python/i.test(node.action);
    const name = ctx.stepName(node, node.title ?? (python ? 'Run Python' : 'Run JavaScript'));
    ctx.outputs.set(node.id, { kind: 'step', slug: stepSlug(name), base: [] });
    const code = typeof node.params.code === 'string' ? node.params.code : '';
    const notes: string[] = [];
    if (code.trim() === '') notes.push('the export holds no code');
    if (python) {
      notes.push(
        'Zapier ran this Python; it runs here with runtime: python, which needs python3 on every worker, and modules Zapier offered (requests) may be missing',
      );
    } else {
      if (/\bcallback\s*\(/.test(code))
        notes.push('the code answers through callback(...), which Zapier offered and KhaosFlow does not; return the value instead');
      if (/\bStoreClient\b/.test(code)) notes.push("the code uses Zapier's StoreClient, which KhaosFlow does not have");
    }
    if (/\boutput\s*=\s*\[/.test(code))
      notes.push(
        "when the code outputs a list, Zapier ran the later steps once per item; here the list is this step's result - add a loop over it if needed",
      );
    const script = python ? pythonCode(node, ctx, code) : javascriptCode(node, ctx, code);
    return {
      steps: [{ name, action: { type: 'run_script', runtime: python ? 'python' : 'node', code: script } }],
      status: python || notes.length ? 'needs_review' : 'converted',
      became: { name, type: 'run_script' },
      notes,
    };
  },
};
