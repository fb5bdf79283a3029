// Turns zod issues into problems a workflow author can act on: a position in the file,
// the path, and a sentence in the language of the file ("unknown key "methd"; did you
// mean "method"?", "must be one of fixed, exponential (got "expo")").
import type { z } from 'zod';
import { closestMatch, didYouMean } from './did-you-mean.js';
import { formatPath, type PathSegment } from './paths.js';
import type { UnknownKeysIssue } from './schema/allowed-keys.js';
import { closestActionType } from './schema/actions.js';
import type { Problem } from './types.js';
import { locate, type YamlSource } from './yaml-source.js';

type Issue = z.core.$ZodIssue;

/** Problems for `issues` found validating the data at `prefix` in `source`. */
export function issueProblems(issues: readonly Issue[], source: YamlSource, prefix: readonly PathSegment[]): Problem[] {
  const problems: Problem[] = [];
  // "mesage" with "did you mean message" already says message is missing; say it once.
  const suggested = new Set<string>();
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    const path = [...prefix, ...(issue.path as PathSegment[])];
    const allowed = (issue as unknown as UnknownKeysIssue).allowed ?? [];
    for (const key of issue.keys) {
      const match = closestMatch(key, allowed);
      if (match !== undefined) suggested.add(formatPath([...path, match]));
      problems.push(problemAt(source, [...path, key], 'key', unknownKeyMessage(key, match, allowed)));
    }
  }
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') continue;
    const path = [...prefix, ...(issue.path as PathSegment[])];
    const value = valueAt(source.data, path);
    if (value === undefined && suggested.has(formatPath(path))) continue;
    const target = issue.code === 'invalid_key' ? 'key' : 'value';
    problems.push(problemAt(source, path, target, describeIssue(issue, path, value, valueAt(source.data, path.slice(0, -1)))));
  }
  return problems;
}

function problemAt(source: YamlSource, path: PathSegment[], on: 'key' | 'value', message: string): Problem {
  const { line, col } = locate(source, path, on);
  return { file: source.file, line, col, path: formatPath(path), message };
}

function unknownKeyMessage(key: string, match: string | undefined, allowed: string[]): string {
  if (match !== undefined) return `unknown key "${key}"; did you mean "${match}"?`;
  return allowed.length > 0 ? `unknown key "${key}"; allowed here: ${allowed.join(', ')}` : `unknown key "${key}"`;
}

function describeIssue(issue: Issue, path: PathSegment[], value: unknown, parent: unknown): string {
  const key = String(path[path.length - 1] ?? 'value');
  switch (issue.code) {
    case 'invalid_type':
      if (value === undefined) return missingKey(key, parent);
      return `must be ${expected(issue.expected)}, not ${describe(value)}`;
    case 'invalid_value': {
      const options = issue.values.map(String);
      if (value === undefined) return `"${key}" is required: one of ${options.join(', ')}`;
      return `must be one of ${options.join(', ')} (got ${describe(value)})${didYouMean(String(value), options)}`;
    }
    case 'invalid_union':
      // A discriminated union whose `type` (or `operation`) matched no option.
      if (issue.discriminator && 'options' in issue) {
        return unknownVariant(variantKind(path), (issue.options ?? []).map(String), value, issue.discriminator);
      }
      return issue.message;
    case 'too_small':
      return tooSmall(issue);
    case 'too_big':
      return `must be at most ${String(issue.maximum)}${issue.origin === 'array' ? ' items' : issue.origin === 'string' ? ' characters' : ''}`;
    case 'invalid_key':
      return issue.issues[0]?.message ?? issue.message;
    default:
      return issue.message;
  }
}

/** `http_request needs "url"` when the mapping says what it is, else `"url" is required`. */
function missingKey(key: string, parent: unknown): string {
  const type = typeof parent === 'object' && parent !== null ? (parent as { type?: unknown }).type : undefined;
  return typeof type === 'string' ? `${type} needs "${key}"` : `"${key}" is required`;
}

/** What a discriminated union chooses, named after where it sits in the document. */
function variantKind(path: PathSegment[]): string {
  const discriminator = path[path.length - 1];
  const parent = path[path.length - 2];
  if (discriminator === 'operation') return 'transform operation';
  if (parent === 'trigger') return 'trigger type';
  if (parent === 'authentication') return 'authentication type';
  return 'action type';
}

/** An unknown (or missing) `type` of a trigger or action, or `operation` of a transform. */
function unknownVariant(what: string, options: string[], value: unknown, discriminator: string): string {
  if (value === undefined) return `"${discriminator}" is required: the ${what}, one of ${options.join(', ')}`;
  const name = String(value);
  if (what === 'action type' && ['loop', 'for_each', 'condition'].includes(name)) {
    return `${name} is a kind of step, not an action: write "${name}:" on the step instead of "action:"`;
  }
  const closest = what === 'action type' ? closestActionType(name) : undefined;
  const hint = closest ? `; did you mean "${closest}"?` : didYouMean(name, options);
  return `unknown ${what} ${describe(value)}${hint || `; known: ${options.join(', ')}`}`;
}

function tooSmall(issue: Extract<Issue, { code: 'too_small' }>): string {
  const minimum = Number(issue.minimum);
  switch (issue.origin) {
    case 'string':
      return minimum <= 1 ? 'must not be empty' : `must be at least ${minimum} characters`;
    case 'array':
      return minimum <= 1 ? 'needs at least one item' : `needs at least ${minimum} items`;
    default:
      return issue.inclusive === false ? `must be more than ${minimum}` : `must be at least ${minimum}`;
  }
}

function expected(type: string): string {
  switch (type) {
    case 'string':
      return 'text';
    case 'number':
      return 'a number';
    case 'int':
      return 'a whole number';
    case 'boolean':
      return 'true or false';
    case 'object':
      return 'a mapping (key: value lines)';
    case 'array':
      return 'a list';
    case 'record':
      return 'a mapping (key: value lines)';
    default:
      return type;
  }
}

/** A value as an author would name it. */
function describe(value: unknown): string {
  if (value === null) return 'empty';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return `the number ${value}`;
    case 'boolean':
      return String(value);
    case 'object':
      return 'a mapping';
    default:
      return String(value);
  }
}

function valueAt(data: unknown, path: readonly PathSegment[]): unknown {
  let current = data;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PathSegment, unknown>)[segment];
  }
  return current;
}
