// Helper functions available in every expression, with or without `$` (see README.md).
// They are plain functions bound with jsonata's `assign`, so jsonata calls them with the
// current input as `this`; none of them reaches outside the data it is given.
import { createHash, randomUUID } from 'node:crypto';
import { formatDate, toDate } from './date-format.js';

type Helper = (this: unknown, ...args: unknown[]) => unknown;

/** Reads a helper argument as a list: undefined is empty, a single value is a list of one. */
function asList(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** jsonata's own truthiness ($boolean), so all/any agree with conditions elsewhere. */
export function isTruthy(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (Array.isArray(value)) return value.some(isTruthy);
  switch (typeof value) {
    case 'string':
      return value.length > 0;
    case 'number':
      return value !== 0;
    case 'boolean':
      return value;
    case 'object':
      return Object.keys(value).length > 0;
    default:
      return false;
  }
}

/** Numbers for sum/avg/min/max: nulls are skipped (as SQL does) and numeric strings read. */
function numbers(name: string, value: unknown): number[] {
  const result: number[] = [];
  for (const item of asList(value)) {
    if (item === null || item === undefined) continue;
    const number = typeof item === 'string' && item.trim() !== '' ? Number(item) : item;
    if (typeof number !== 'number' || !Number.isFinite(number)) {
      throw new Error(`${name}() expects numbers; got ${JSON.stringify(item)}`);
    }
    result.push(number);
  }
  return result;
}

/** Unwraps the array jsonata hands over as input when it wrapped a top-level array. */
function currentInput(input: unknown): unknown {
  if (Array.isArray(input) && (input as { outerWrapper?: boolean }).outerWrapper) return input[0];
  return input;
}

function text(name: string, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') throw new Error(`${name}() expects text; got ${Array.isArray(value) ? 'a list' : 'an object'}`);
  return String(value);
}

export const helpers: Record<string, Helper> = {
  json(value, indent) {
    return JSON.stringify(value ?? null, null, typeof indent === 'number' ? indent : undefined);
  },
  parse_json(value) {
    if (value === undefined) return undefined;
    try {
      return JSON.parse(text('parse_json', value));
    } catch (error) {
      throw new Error(`parse_json() was given text that is not JSON: ${(error as Error).message}`);
    }
  },
  all(values) {
    return asList(values).every(isTruthy);
  },
  any(values) {
    return asList(values).some(isTruthy);
  },
  sum(values) {
    return numbers('sum', values).reduce((total, n) => total + n, 0);
  },
  avg(values) {
    const list = numbers('avg', values);
    return list.length === 0 ? undefined : list.reduce((total, n) => total + n, 0) / list.length;
  },
  min(values) {
    const list = numbers('min', values);
    return list.length === 0 ? undefined : Math.min(...list);
  },
  max(values) {
    const list = numbers('max', values);
    return list.length === 0 ? undefined : Math.max(...list);
  },
  count(...args) {
    // count() with no argument counts the input: the rows of a group in an aggregation.
    return asList(args.length === 0 ? currentInput(this) : args[0]).length;
  },
  date(value, format, timeZone) {
    return formatDate(
      value === undefined || value === null ? new Date() : toDate(value),
      format === undefined ? undefined : text('date', format),
      timeZone === undefined ? undefined : text('date', timeZone),
    );
  },
  uuid() {
    return randomUUID();
  },
  lower(value) {
    return text('lower', value).toLowerCase();
  },
  upper(value) {
    return text('upper', value).toUpperCase();
  },
  length(value) {
    if (value === undefined || value === null) return 0;
    if (typeof value === 'string') return Array.from(value).length;
    if (Array.isArray(value)) return value.length;
    if (typeof value === 'object') return Object.keys(value).length;
    throw new Error(`length() expects text, a list or an object; got ${JSON.stringify(value)}`);
  },
  values(value) {
    if (value === undefined || value === null) return [];
    if (typeof value !== 'object' || Array.isArray(value)) throw new Error('values() expects an object');
    return Object.values(value);
  },
  default(value, fallback) {
    return value === undefined || value === null ? fallback : value;
  },
  coalesce(...values) {
    return values.find((value) => value !== undefined && value !== null);
  },
  base64(value) {
    return Buffer.from(text('base64', value), 'utf8').toString('base64');
  },
  unbase64(value) {
    return Buffer.from(text('unbase64', value), 'base64').toString('utf8');
  },
  url_encode(value) {
    return encodeURIComponent(text('url_encode', value));
  },
  url_decode(value) {
    return decodeURIComponent(text('url_decode', value));
  },
  first(values) {
    return asList(values)[0];
  },
  last(values) {
    const list = asList(values);
    return list[list.length - 1];
  },
  unique(values) {
    const seen = new Set<string>();
    return asList(values).filter((value) => {
      const key = JSON.stringify(value);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  },
  sha256(value) {
    return createHash('sha256').update(text('sha256', value)).digest('hex');
  },
};

/** jsonata's built-in functions, all of which may also be called without `$`. */
const jsonataFunctions = [
  'average',
  'count',
  'eval',
  'length',
  'max',
  'min',
  'sum',
  'abs',
  'append',
  'assert',
  'base64decode',
  'base64encode',
  'boolean',
  'ceil',
  'clone',
  'contains',
  'decodeUrl',
  'decodeUrlComponent',
  'distinct',
  'each',
  'encodeUrl',
  'encodeUrlComponent',
  'error',
  'exists',
  'filter',
  'floor',
  'formatBase',
  'formatInteger',
  'formatNumber',
  'fromMillis',
  'join',
  'keys',
  'lookup',
  'lowercase',
  'map',
  'match',
  'merge',
  'millis',
  'not',
  'now',
  'number',
  'pad',
  'parseInteger',
  'power',
  'random',
  'reduce',
  'replace',
  'reverse',
  'round',
  'shuffle',
  'sift',
  'single',
  'sort',
  'split',
  'spread',
  'sqrt',
  'string',
  'substring',
  'substringAfter',
  'substringBefore',
  'toMillis',
  'trim',
  'type',
  'uppercase',
  'zip',
];

/** Every name that may be called without `$`: `name(...)` or `X | name`. */
export const callableNames: ReadonlySet<string> = new Set([...jsonataFunctions, ...Object.keys(helpers)]);

/**
 * Helpers reached without `$` are bound under this prefix (`sum(x)` calls `$__sum`), so
 * that `$sum` always means JSONata's own function, exactly.
 */
export const helperPrefix = '__';

export const helperNames: ReadonlySet<string> = new Set(Object.keys(helpers));

/** Helper names that are not also JSONata's: these are bound as `$name` as well. */
export const helperOnlyNames: ReadonlySet<string> = new Set(Object.keys(helpers).filter((name) => !jsonataFunctions.includes(name)));
