// The expression side of the `transform` action: filter, map, sort and aggregate evaluate
// an item-mode expression once per element (or per group), with the element as the input
// (`price > 100`, `$.order_id`) and also as `item`, its position as `$index`, and the run
// context as `$trigger`, `$steps`, `$vars`, ...
import { compileExpression, type CompiledExpression } from './compile.js';
import type { ExpressionContext } from './context.js';
import { ExpressionError } from './errors.js';
import { isTruthy } from './helpers.js';
import { parseTemplate } from './template.js';

export interface AggregateSpec {
  /** Expression(s) giving each element's group; a plain field name also names the output field. */
  group_by?: string | string[];
  /** Output field -> expression over the group's elements, e.g. `sum(amount)`, `count()`. */
  aggregations: Record<string, string>;
}

export interface SortSpec {
  by: string | string[];
  order?: 'asc' | 'desc';
}

/**
 * Compiles an item-mode expression. The seed writes these bare (`price > 100`); one
 * wrapped in `{{ }}` means the same, so authors who add braces out of habit are not punished.
 */
export function compileItemExpression(text: string): CompiledExpression {
  const parts = parseTemplate(text);
  const only = parts.length === 1 && parts[0]!.kind === 'expression' && text.trim() === text ? parts[0] : undefined;
  if (!only) return compileExpression(text, 'item');
  try {
    return compileExpression(only.source, 'item');
  } catch (error) {
    throw error instanceof ExpressionError ? error.inTemplate(only.offset) : error;
  }
}

/** Keeps the elements for which `condition` is truthy. */
export async function evaluateFilter(
  input: unknown,
  condition: string,
  context: ExpressionContext = {},
  step?: string,
): Promise<unknown[]> {
  const expression = compileItemExpression(condition);
  const kept: unknown[] = [];
  const elements = asElements(input);
  for (let index = 0; index < elements.length; index++) {
    const item = elements[index];
    if (isTruthy(await expression.evaluate({ ...context, item, index }, step))) kept.push(item);
  }
  return kept;
}

/** Replaces every element by `transform` evaluated on it (undefined becomes null). */
export async function evaluateMap(input: unknown, transform: string, context: ExpressionContext = {}, step?: string): Promise<unknown[]> {
  const expression = compileItemExpression(transform);
  const elements = asElements(input);
  const mapped: unknown[] = [];
  for (let index = 0; index < elements.length; index++) {
    mapped.push((await expression.evaluate({ ...context, item: elements[index], index }, step)) ?? null);
  }
  return mapped;
}

/** Sorts by one or more keys; null/undefined sort last, numbers before text; stable. */
export async function evaluateSort(input: unknown, spec: SortSpec, context: ExpressionContext = {}, step?: string): Promise<unknown[]> {
  const keys = (Array.isArray(spec.by) ? spec.by : [spec.by]).map(compileItemExpression);
  const elements = asElements(input);
  const rows: { item: unknown; values: unknown[] }[] = [];
  for (let index = 0; index < elements.length; index++) {
    const item = elements[index];
    const values: unknown[] = [];
    for (const key of keys) values.push(await key.evaluate({ ...context, item, index }, step));
    rows.push({ item, values });
  }
  const direction = spec.order === 'desc' ? -1 : 1;
  rows.sort((a, b) => {
    for (let k = 0; k < keys.length; k++) {
      const order = compareValues(a.values[k], b.values[k], direction);
      if (order !== 0) return order;
    }
    return 0;
  });
  return rows.map((row) => row.item);
}

/**
 * Groups elements by `group_by` (first-seen order) and evaluates every aggregation once
 * per group with the group's elements as the input: `sum(amount)` sums that group.
 * Without `group_by` the result is a single row over all elements.
 */
export async function evaluateAggregate(
  input: unknown,
  spec: AggregateSpec,
  context: ExpressionContext = {},
  step?: string,
): Promise<Record<string, unknown>[]> {
  const groupSources = spec.group_by === undefined ? [] : Array.isArray(spec.group_by) ? spec.group_by : [spec.group_by];
  const groupKeys = groupSources.map(compileItemExpression);
  const aggregations = Object.entries(spec.aggregations).map(([field, source]) => [field, compileItemExpression(source)] as const);
  const elements = asElements(input);

  const groups = new Map<string, { values: unknown[]; items: unknown[] }>();
  if (groupKeys.length === 0) groups.set('', { values: [], items: elements });
  for (let index = 0; index < elements.length && groupKeys.length > 0; index++) {
    const item = elements[index];
    const values: unknown[] = [];
    for (const key of groupKeys) values.push((await key.evaluate({ ...context, item, index }, step)) ?? null);
    const id = JSON.stringify(values);
    const group = groups.get(id) ?? { values, items: [] };
    group.items.push(item);
    groups.set(id, group);
  }

  const fieldNames = groupSources.map((source, i) => groupFieldName(source, i, groupSources.length));
  const rows: Record<string, unknown>[] = [];
  for (const group of groups.values()) {
    const row: Record<string, unknown> = {};
    fieldNames.forEach((name, i) => {
      row[name] = group.values[i];
    });
    for (const [field, expression] of aggregations) {
      row[field] = (await expression.evaluate({ ...context, item: group.items }, step)) ?? null;
    }
    rows.push(row);
  }
  return rows;
}

function groupFieldName(source: string, index: number, count: number): string {
  const trimmed = source.trim();
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(trimmed)) return trimmed;
  return count === 1 ? 'group' : `group_${index + 1}`;
}

/** A transform's input as a list: nothing is an empty list, a single value a list of one. */
function asElements(input: unknown): unknown[] {
  if (input === undefined || input === null) return [];
  return Array.isArray(input) ? input : [input];
}

function compareValues(a: unknown, b: unknown, direction: number): number {
  const aMissing = a === undefined || a === null;
  const bMissing = b === undefined || b === null;
  if (aMissing || bMissing) return aMissing === bMissing ? 0 : aMissing ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return (a - b) * direction;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  const left = typeof a === 'string' ? a : JSON.stringify(a);
  const right = typeof b === 'string' ? b : JSON.stringify(b);
  return (left < right ? -1 : left > right ? 1 : 0) * direction;
}
