// Formatter by Zapier (FormatterV2API) as a transform step: the formatted value is
// computed by a JSONata expression (server/expression helpers) and the step's result is
// `{output}`, the field Zapier's formatter gives, so `{{<id>__output}}` becomes
// `steps.<slug>.result.output`. A jq `.` passes the computed object through unchanged.
// Operations without a faithful expression are not imported (the report says which).
import { stepSlug } from '../../workflow/index.js';
import type { Conversion, NodeConverter, ZapContext } from './context.js';
import { appKey } from './naming.js';
import type { ZapNode } from './types.js';

const str = JSON.stringify;
const key = (value: unknown) =>
  String(value ?? '')
    .toLowerCase()
    .replace(/[\s_-]+/g, '');
const text = (value: unknown) => (value === undefined || value === null ? '' : typeof value === 'string' ? value : String(value));

/** The value being formatted, as an expression reading it as text. */
type Input = string;

type Build = (input: Input, p: Record<string, unknown>, node: ZapNode, ctx: ZapContext, notes: string[]) => string | undefined;

const titleCase = (input: Input) =>
  `$join($map($split(${input}, " "), function($w) { $uppercase($substring($w, 0, 1)) & $lowercase($substring($w, 1)) }), " ")`;

const splitIndex = (list: string, index: unknown, notes: string[]): string | undefined => {
  const which = key(index || 'first');
  if (which === 'first') return `${list}[0]`;
  if (which === 'last') return `${list}[-1]`;
  if (which === 'second') return `${list}[1]`;
  if (which === 'secondtolast') return `${list}[-2]`;
  if (which === 'all' || which === 'allitems' || which === 'allasseparatefields') return list;
  if (/^-?\d+$/.test(which)) return `${list}[${which}]`;
  notes.push(`the split segment "${text(index)}" is not known to the importer`);
  return undefined;
};

const textOperations: Record<string, Build> = {
  uppercase: (i) => `$uppercase(${i})`,
  upper: (i) => `$uppercase(${i})`,
  lowercase: (i) => `$lowercase(${i})`,
  lower: (i) => `$lowercase(${i})`,
  titlecase: (i) => titleCase(i),
  capitalize: (i) => `$uppercase($substring(${i}, 0, 1)) & $substring(${i}, 1)`,
  trimwhitespace: (i) => `$replace(${i}, /^\\s+|\\s+$/, "")`,
  trim: (i) => `$replace(${i}, /^\\s+|\\s+$/, "")`,
  length: (i) => `$length(${i})`,
  wordcount: (i) => `$count($split($trim(${i}), " "))`,
  urlencode: (i) => `url_encode(${i})`,
  urldecode: (i) => `url_decode(${i})`,
  replace: (i, p, node, ctx, notes) => {
    if (/\[:\w+:\]/.test(text(p.find)) || /\[:\w+:\]/.test(text(p.replace)))
      notes.push("Zapier's [:space:] style placeholders in find/replace are taken literally here");
    return `$replace(${i}, ${ctx.expression(node, text(p.find))}, ${ctx.expression(node, text(p.replace))})`;
  },
  split: (i, p, node, ctx, notes) =>
    splitIndex(`$split(${i}, ${ctx.expression(node, text(p.separator ?? ' '))})`, p.index ?? p.segment_index, notes),
  truncate: (i, p, _node, _ctx, notes) => {
    const max = Number(p.max_length);
    if (!Number.isInteger(max) || max < 0) {
      notes.push(`the length "${text(p.max_length)}" to truncate to is not a whole number`);
      return undefined;
    }
    return `$substring(${i}, 0, ${max})`;
  },
  defaultvalue: (i, p, node, ctx) => `(${i}) = "" ? ${ctx.expression(node, text(p.default_value ?? p.value))} : (${i})`,
};

/** Zapier's "+1 day" / "-2 hours" date arithmetic in milliseconds. */
function offsetMs(expression: string): number | undefined {
  const units: Record<string, number> = { second: 1000, minute: 60_000, hour: 3_600_000, day: 86_400_000, week: 604_800_000 };
  let total = 0;
  const parts = [...expression.matchAll(/([+-])\s*(\d+(?:\.\d+)?)\s*(second|minute|hour|day|week)s?/gi)];
  if (parts.length === 0) return undefined;
  for (const [, sign, amount, unit] of parts) total += (sign === '-' ? -1 : 1) * Number(amount) * units[unit!.toLowerCase()]!;
  return total;
}

const dateOperations: Record<string, Build> = {
  formatting: (i, p, _node, _ctx, notes) => {
    const from = text(p.from_format);
    if (from !== '' && !/^(iso|yyyy-mm-ddthh:mm:ss)/i.test(from))
      notes.push(`the input format "${from}" is not read: the input must be ISO 8601 text or epoch milliseconds at run time`);
    if (text(p.from_timezone) !== '')
      notes.push(`the input time zone "${text(p.from_timezone)}" is not applied; ISO input carries its own offset`);
    const zone = text(p.to_timezone) || 'UTC';
    return `date(${i}, ${str(text(p.to_format) || 'YYYY-MM-DDTHH:mm:ssZ')}, ${str(zone)})`;
  },
  addsubtracttime: (i, p, _node, _ctx, notes) => {
    const ms = offsetMs(text(p.expression));
    if (ms === undefined) {
      notes.push(`the time arithmetic "${text(p.expression)}" could not be read (write e.g. +1 day -2 hours)`);
      return undefined;
    }
    return `$fromMillis($toMillis(${i}) ${ms < 0 ? '-' : '+'} ${Math.abs(ms)})`;
  },
};

const mathOperators: Record<string, string> = { add: '+', subtract: '-', multiply: '*', divide: '/' };

const numberOperations: Record<string, Build> = {
  math: (_i, p, node, ctx, notes) => {
    const operator = mathOperators[key(p.operation)];
    const inputs = (Array.isArray(p.inputs) ? p.inputs : [p.inputs ?? p.input]).map(
      (value) => `$number(${ctx.expression(node, text(value))})`,
    );
    if (key(p.operation) === 'negate') return `-${inputs[0]}`;
    if (!operator) {
      notes.push(`the math operation "${text(p.operation)}" is not known to the importer`);
      return undefined;
    }
    return inputs.join(` ${operator} `);
  },
};

const families: Record<string, Record<string, Build>> = {
  text: textOperations,
  date: dateOperations,
  datetime: dateOperations,
  number: numberOperations,
};

export const formatterConverter: NodeConverter = {
  matches: (node) => ['FormatterV2API', 'FormatterAPI'].includes(appKey(node.app)),
  convert(node: ZapNode, ctx: ZapContext): Conversion {
    const p = node.params;
    const transform = key(p.transform ?? p.transform_type ?? p.operation_type);
    const notes: string[] = [];
    const name = ctx.stepName(node, node.title ?? `Format ${node.action[0]?.toUpperCase() ?? ''}${node.action.slice(1)}`);
    ctx.outputs.set(node.id, { kind: 'step', slug: stepSlug(name), base: [] });
    const build = families[key(node.action)]?.[transform];
    const inputText = text(Array.isArray(p.inputs) ? p.inputs[0] : (p.inputs ?? p.input));
    const input = `(${ctx.expression(node, inputText)} & "")`;
    const expression = build?.(input, p, node, ctx, notes);
    if (expression === undefined) {
      const why = build
        ? notes.join('; ')
        : `the formatter "${node.action}: ${text(p.transform) || '?'}" has no KhaosFlow counterpart in the importer; write a transform or expression for it`;
      return {
        steps: [
          { name, action: { type: 'log', level: 'warn', message: `Zapier formatter not imported: ${why}`, data: ctx.template(node, p) } },
        ],
        status: 'unsupported',
        became: { name, type: 'log' },
        notes: build ? notes : [why],
      };
    }
    return {
      steps: [{ name, action: { type: 'transform', operation: 'jq', input: { output: `{{ ${expression} }}` }, filter: '.' } }],
      status: notes.length ? 'needs_review' : 'converted',
      became: { name, type: 'transform' },
      notes,
    };
  },
};
