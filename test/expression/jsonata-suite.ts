// Loads JSONata's official test suite (test/fixtures/jsonata-suite) and runs a case through
// plain jsonata or through our engine, returning the outcome in one comparable shape.
import { readdirSync, readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import jsonata from 'jsonata';
import { contextNames, templateInput } from '../../server/expression/context.js';
import { callableNames, helperNames } from '../../server/expression/helpers.js';
import { compileExpression } from '../../server/expression/index.js';
import { rewriteExpression } from '../../server/expression/rewrite.js';

const folder = new URL('../fixtures/jsonata-suite/', import.meta.url);

export interface SuiteCase {
  /** `group/case012` or `group/case012#1` for the second case in one file. */
  id: string;
  expr: string;
  data: unknown;
  bindings: Record<string, unknown>;
  /** Cases that bound time or depth (run with our bounds set to theirs). */
  bounded: boolean;
  timelimit?: number;
  depth?: number;
  unordered: boolean;
  expected: Outcome;
}

export type Outcome = { kind: 'value'; value: unknown } | { kind: 'undefined' } | { kind: 'error'; code: string };

interface RawCase {
  expr: string;
  data?: unknown;
  dataset?: string | null;
  bindings?: Record<string, unknown>;
  timelimit?: number;
  depth?: number;
  unordered?: boolean;
  result?: unknown;
  undefinedResult?: boolean;
  code?: string;
  error?: { code: string };
}

export function loadSuite(): SuiteCase[] {
  const datasets = JSON.parse(readFileSync(new URL('datasets.json', folder), 'utf8')) as Record<string, unknown>;
  const cases: SuiteCase[] = [];
  for (const file of readdirSync(new URL('groups/', folder)).sort()) {
    const group = file.replace(/\.json$/, '');
    const files = JSON.parse(readFileSync(new URL(`groups/${file}`, folder), 'utf8')) as Record<string, RawCase | RawCase[]>;
    for (const [name, content] of Object.entries(files)) {
      const list = Array.isArray(content) ? content : [content];
      list.forEach((raw, index) => {
        const code = raw.code ?? raw.error?.code;
        const expected: Outcome =
          code !== undefined
            ? { kind: 'error', code }
            : raw.undefinedResult || !('result' in raw)
              ? { kind: 'undefined' }
              : { kind: 'value', value: raw.result };
        cases.push({
          id: `${group}/${name}${list.length > 1 ? `#${index}` : ''}`,
          expr: raw.expr,
          data: 'data' in raw ? raw.data : raw.dataset ? datasets[raw.dataset] : undefined,
          bindings: raw.bindings ?? {},
          bounded: raw.timelimit !== undefined || raw.depth !== undefined,
          ...(raw.timelimit !== undefined ? { timelimit: raw.timelimit } : {}),
          ...(raw.depth !== undefined ? { depth: raw.depth } : {}),
          unordered: raw.unordered === true,
          expected,
        });
      });
    }
  }
  return cases;
}

async function outcomeOf(run: () => Promise<unknown>): Promise<Outcome> {
  try {
    const value = await run();
    return value === undefined ? { kind: 'undefined' } : { kind: 'value', value: JSON.parse(JSON.stringify(value)) };
  } catch (error) {
    return { kind: 'error', code: String((error as { code?: unknown }).code ?? 'none') };
  }
}

export function runPlain(test: SuiteCase): Promise<Outcome> {
  return outcomeOf(async () => jsonata(test.expr).evaluate(test.data, test.bindings));
}

/**
 * Plain jsonata on what a template sees: the run context as `$` (the document under `vars`),
 * with the template's bare names already read as variables. For the cases listed as
 * differing because `$` is the run context, our engine must give exactly this.
 */
export function runPlainOnRunContext(test: SuiteCase): Promise<Outcome> {
  const { text } = rewriteExpression(test.expr, { callable: callableNames, helpers: helperNames, mode: 'template', contextNames });
  const vars = test.data as Record<string, unknown>;
  return outcomeOf(async () => jsonata(text).evaluate(templateInput({ vars, now: fixedNow }), { ...test.bindings, vars, __vars: vars }));
}

/** One fixed run time, so results that include the run context compare equal. */
const fixedNow = '2026-01-01T00:00:00.000Z';

/**
 * Item mode: the document is the element (`$`), as in transforms and filters.
 * Template mode: the document's fields are the run's variables, reached as bare names.
 */
export function runOurs(test: SuiteCase, mode: 'item' | 'template'): Promise<Outcome> {
  return outcomeOf(async () => {
    const compiled = compileExpression(test.expr, mode);
    if (mode === 'item') return compiled.evaluate({ item: test.data }, undefined, test.bindings);
    return compiled.evaluate({ vars: test.data as Record<string, unknown>, now: fixedNow }, undefined, test.bindings);
  });
}

export function sameOutcome(actual: Outcome, expected: Outcome, unordered: boolean): boolean {
  if (actual.kind !== expected.kind) return false;
  if (actual.kind === 'error') return actual.code === (expected as { code: string }).code;
  if (actual.kind === 'undefined') return true;
  const a = actual.value;
  const b = (expected as { value: unknown }).value;
  if (unordered && Array.isArray(a) && Array.isArray(b)) {
    const key = (value: unknown) => JSON.stringify(value);
    return isDeepStrictEqual(a.map(key).sort(), b.map(key).sort());
  }
  return isDeepStrictEqual(a, b);
}
