// Zapier filter rules (FilterAPI filters, Paths rules) as one KhaosFlow expression.
// `params.filter_criteria` is a flat list; criteria sharing a `group` are ANDed and the
// groups ORed, in the order they first appear. A criterion whose `action` is "stop"
// ("do not continue if") is negated. Zapier compares text: a field that is missing
// reads as "" (`x & ""` in JSONata), so "does not contain" passes on a missing field.
//
// Operators (names as Zapier exports them; an `i` prefix means case-insensitive text):
//   icontains / contains, not_icontains / not_contains   contains(lower(f & ""), "v")
//   iexact / exact, not_iexact / not_exact               lower(f & "") = "v" / (f & "") = "v"
//   iin / in, not_iin / not_in (comma list)              lower(f & "") in ["a", "b"]
//   istartswith / startswith (+ not_), iendswith / endswith (+ not_)
//                                                        substring(f & "", 0, 3) = "abc"
//   igreater / greater / gt, iless / less / lt, gte, lte, number_equals
//                                                        number(f) > 45
//   dateafter / date_after, datebefore / date_before, dateequals / date_equals
//                                                        toMillis(f) > toMillis("2024-01-01T00:00:00.000Z")
//   is_true, is_false                                    lower(f & "") in ["true", "yes", "1"]
//   exists, not_exists                                   (f & "") != ""
//   regex / not_regex                                    contains(f & "", /re/)
import type { ZapContext } from './context.js';
import { hasReference } from './references.js';
import type { ZapNode } from './types.js';

export interface Criterion {
  key: string;
  match: string;
  value: unknown;
  group: string;
  negate: boolean;
}

export interface Rules {
  /** The JSONata expression (without `{{ }}`). */
  expression: string;
  notes: string[];
  /** False when a rule could not be translated (an unknown operator or an unreadable date). */
  faithful: boolean;
}

/** The criteria of a filter or path node, in the order written. */
export function readCriteria(params: Record<string, unknown>): Criterion[] {
  const list = Array.isArray(params.filter_criteria) ? params.filter_criteria : [];
  return list
    .filter((item): item is Record<string, unknown> => typeof item === 'object' && item !== null)
    .map((item) => ({
      key: typeof item.key === 'string' ? item.key : String(item.key ?? ''),
      match: typeof item.match === 'string' ? item.match : '',
      value: item.value,
      group: item.group === undefined || item.group === null ? 'all' : String(item.group),
      negate: item.action === 'stop',
    }));
}

interface Operands {
  field: string;
  /** The value as Zapier text: a literal or an expression. */
  value: { literal: string } | { expression: string };
}

type Build = (o: Operands, notes: string[]) => string | undefined;

const str = JSON.stringify;
const text = (o: Operands) => `${o.field} & ""`;
const lowerText = (o: Operands) => `lower(${text(o)})`;
const valueText = (o: Operands, lower: boolean) =>
  'literal' in o.value
    ? str(lower ? o.value.literal.toLowerCase() : o.value.literal)
    : lower
      ? `lower(${o.value.expression} & "")`
      : `(${o.value.expression} & "")`;
const not = (expression: string | undefined) => (expression === undefined ? undefined : `not(${expression})`);

function contains(insensitive: boolean): Build {
  return (o) => `contains(${insensitive ? lowerText(o) : text(o)}, ${valueText(o, insensitive)})`;
}

function exact(insensitive: boolean): Build {
  return (o) => `${insensitive ? lowerText(o) : `(${text(o)})`} = ${valueText(o, insensitive)}`;
}

function isIn(insensitive: boolean): Build {
  return (o) => {
    const subject = insensitive ? lowerText(o) : `(${text(o)})`;
    if ('expression' in o.value) return `${subject} in $map($split(${valueText(o, insensitive)}, ","), $trim)`;
    const items = o.value.literal
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
    return `${subject} in ${str(items.map((item) => (insensitive ? item.toLowerCase() : item)))}`;
  };
}

function affix(kind: 'start' | 'end', insensitive: boolean): Build {
  return (o) => {
    const subject = insensitive ? lowerText(o) : text(o);
    if ('expression' in o.value) {
      const value = valueText(o, insensitive);
      return kind === 'start'
        ? `substring(${subject}, 0, length(${value})) = ${value}`
        : `substring(${subject}, -length(${value})) = ${value}`;
    }
    const value = insensitive ? o.value.literal.toLowerCase() : o.value.literal;
    return kind === 'start'
      ? `substring(${subject}, 0, ${value.length}) = ${str(value)}`
      : `substring(${subject}, -${value.length}) = ${str(value)}`;
  };
}

function compareNumber(operator: string): Build {
  return (o, notes) => {
    let right: string;
    if ('expression' in o.value) right = `number(${o.value.expression})`;
    else if (o.value.literal.trim() !== '' && Number.isFinite(Number(o.value.literal))) right = String(Number(o.value.literal));
    else {
      notes.push(`"${o.value.literal}" is not a number, so the number rule on ${o.field} cannot pass; it was imported as false`);
      return undefined;
    }
    return `number(${o.field}) ${operator} ${right}`;
  };
}

function compareDate(operator: string): Build {
  return (o, notes) => {
    let right: string;
    if ('expression' in o.value) right = `toMillis(${o.value.expression})`;
    else {
      const literal = o.value.literal.trim();
      const time = Date.parse(literal);
      if (Number.isNaN(time)) {
        notes.push(
          `the date "${literal}" could not be read, so the date rule on ${o.field} was imported as false; write it as ISO 8601 (2024-01-31T09:00:00Z)`,
        );
        return undefined;
      }
      const iso = new Date(time).toISOString();
      if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(literal)) {
        notes.push(`the date "${literal}" was read as ${iso} (UTC); check it`);
      }
      right = `toMillis(${str(iso)})`;
    }
    notes.push(`the date rule needs ${o.field} as ISO 8601 text at run time (Zapier also read other date formats)`);
    return `toMillis(${o.field}) ${operator} ${right}`;
  };
}

const truthyWords = '["true", "yes", "1"]';

function regex(o: Operands, notes: string[]): string | undefined {
  if ('expression' in o.value) {
    notes.push('a regex rule whose pattern comes from a field cannot be translated; it was imported as false');
    return undefined;
  }
  return `contains(${text(o)}, /${o.value.literal.replace(/\//g, '\\/')}/)`;
}

const operators: Record<string, Build> = {
  icontains: contains(true),
  contains: contains(false),
  not_icontains: (o) => not(contains(true)(o, [])),
  not_contains: (o) => not(contains(false)(o, [])),
  iexact: exact(true),
  exact: exact(false),
  not_iexact: (o) => not(exact(true)(o, [])),
  not_exact: (o) => not(exact(false)(o, [])),
  iin: isIn(true),
  in: isIn(false),
  not_iin: (o) => not(isIn(true)(o, [])),
  not_in: (o) => not(isIn(false)(o, [])),
  istartswith: affix('start', true),
  startswith: affix('start', false),
  not_istartswith: (o) => not(affix('start', true)(o, [])),
  not_startswith: (o) => not(affix('start', false)(o, [])),
  iendswith: affix('end', true),
  endswith: affix('end', false),
  not_iendswith: (o) => not(affix('end', true)(o, [])),
  not_endswith: (o) => not(affix('end', false)(o, [])),
  igreater: compareNumber('>'),
  greater: compareNumber('>'),
  gt: compareNumber('>'),
  iless: compareNumber('<'),
  less: compareNumber('<'),
  lt: compareNumber('<'),
  gte: compareNumber('>='),
  lte: compareNumber('<='),
  number_equals: compareNumber('='),
  inumber_equals: compareNumber('='),
  dateafter: compareDate('>'),
  date_after: compareDate('>'),
  datebefore: compareDate('<'),
  date_before: compareDate('<'),
  dateequals: compareDate('='),
  date_equals: compareDate('='),
  is_true: (o) => `${lowerText(o)} in ${truthyWords}`,
  is_false: (o) => `not(${lowerText(o)} in ${truthyWords})`,
  exists: (o) => `(${text(o)}) != ""`,
  not_exists: (o) => `(${text(o)}) = ""`,
  regex,
  not_regex: (o, notes) => not(regex(o, notes)),
};

/** The operator names the importer translates (for the report and tests). */
export const knownOperators = Object.keys(operators);

function operands(criterion: Criterion, node: ZapNode, ctx: ZapContext): Operands {
  const key = /^\s*\{\{.*\}\}\s*$/.test(criterion.key) ? criterion.key.trim() : `{{${criterion.key}}}`;
  const field = ctx.expression(node, key);
  const raw = criterion.value === undefined || criterion.value === null ? '' : String(criterion.value);
  return { field, value: hasReference(raw) ? { expression: ctx.expression(node, raw) } : { literal: raw } };
}

/** The criteria as `(a and b) or c`; an untranslatable rule becomes `false` and is noted. */
export function rulesExpression(criteria: Criterion[], node: ZapNode, ctx: ZapContext): Rules {
  const notes: string[] = [];
  let faithful = true;
  if (criteria.length === 0) {
    return { expression: 'true', notes: ['it has no rules, so it always passes (as in Zapier)'], faithful };
  }
  const groups = new Map<string, string[]>();
  for (const criterion of criteria) {
    const build = operators[criterion.match];
    let term: string | undefined;
    if (!build) {
      notes.push(
        `the rule operator "${criterion.match}" on ${criterion.key} is not known to the importer; it was imported as false so the rule never passes - rewrite it (known: ${knownOperators.join(', ')})`,
      );
    } else {
      term = build(operands(criterion, node, ctx), notes);
    }
    if (term === undefined) faithful = false;
    const written = term === undefined ? 'false' : criterion.negate ? `not(${term})` : term;
    groups.set(criterion.group, [...(groups.get(criterion.group) ?? []), written]);
  }
  const ors = [...groups.values()].map((ands) => ands.join(' and '));
  const expression = ors.length === 1 ? ors[0]! : ors.map((group) => (group.includes(' and ') ? `(${group})` : group)).join(' or ');
  return { expression, notes: [...new Set(notes)], faithful };
}
