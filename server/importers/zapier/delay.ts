// Delay by Zapier (DelayAPI) as a delay step: `delay_for` (a value and a unit) becomes
// `duration:`, `delay_until` (a date, maybe with Zapier's "+30m" / "-1h" offsets)
// becomes `until:` - an ISO time, computed from the referenced field when it is one.
import { stepSlug } from '../../workflow/index.js';
import type { Conversion, NodeConverter, ZapContext } from './context.js';
import { appKey } from './naming.js';
import { hasReference, isSingleReference } from './references.js';
import type { ZapNode } from './types.js';

const unitMs: Array<[RegExp, number, string]> = [
  [/^(ms|milliseconds?)$/, 1, 'ms'],
  [/^(s|secs?|seconds?)$/, 1000, 's'],
  [/^(m|mins?|minutes?)$/, 60_000, 'm'],
  [/^(h|hrs?|hours?)$/, 3_600_000, 'h'],
  [/^(d|days?)$/, 86_400_000, 'd'],
  [/^(w|wks?|weeks?)$/, 7 * 86_400_000, 'w'],
];

function unitOf(text: string): { ms: number; symbol: string } | undefined {
  const found = unitMs.find(([pattern]) => pattern.test(text.trim().toLowerCase()));
  return found ? { ms: found[1], symbol: found[2] } : undefined;
}

const first = (params: Record<string, unknown>, keys: string[]) =>
  keys.map((key) => params[key]).find((value) => value !== undefined && value !== null && value !== '');

/** `delay_for`: "10" + "minutes" -> "10m"; a referenced value -> milliseconds computed at run time. */
function duration(node: ZapNode, ctx: ZapContext, notes: string[]): string | undefined {
  const value = first(node.params, ['delay_for_value', 'time_delay_for_value', 'delay_value', 'value', 'amount']);
  const unitText = String(first(node.params, ['delay_for_unit', 'time_delay_for_unit', 'delay_unit', 'unit']) ?? 'minutes');
  const unit = unitOf(unitText);
  if (value === undefined || !unit) {
    notes.push(`the delay length (${String(value ?? 'missing')} ${unitText}) could not be read`);
    return undefined;
  }
  const text = String(value);
  if (hasReference(text)) return `{{ number(${ctx.expression(node, text)}) * ${unit.ms} }}`;
  const amount = Number(text);
  if (!Number.isFinite(amount) || amount < 0) {
    notes.push(`the delay length "${text}" is not a number`);
    return undefined;
  }
  // Durations know no weeks; 2 weeks is written 14d.
  return unit.symbol === 'w' ? `${amount * 7}d` : `${amount}${unit.symbol}`;
}

const offsetPattern = /\s*([+-])\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*$/i;

/** `delay_until`: the time to wait until, as a template or an ISO literal. */
function until(node: ZapNode, ctx: ZapContext, notes: string[]): string | undefined {
  let text = String(first(node.params, ['delay_until_date', 'delay_until', 'until', 'date']) ?? '').trim();
  let offsetMs = 0;
  for (let match = offsetPattern.exec(text); match; match = offsetPattern.exec(text)) {
    const unit = unitOf(match[3]!);
    if (!unit) break;
    offsetMs += (match[1] === '-' ? -1 : 1) * Number(match[2]) * unit.ms;
    text = text.slice(0, match.index).trim();
  }
  if (text === '') {
    notes.push('the export has no date to wait until');
    return undefined;
  }
  if (/__\w*_pretty\}\}/.test(text)) {
    notes.push(
      'it waits for a "(Pretty)" date field, which is display text such as "Mon, Jan 1, 2024 9:00am", not an ISO time KhaosFlow can read; point it at the ISO field of the same date (for Google Calendar: start.dateTime)',
    );
  }
  if (hasReference(text)) {
    const base = ctx.expression(node, text);
    if (offsetMs === 0) return isSingleReference(text) ? `{{${base}}}` : ctx.template(node, text);
    return `{{ fromMillis(toMillis(${base}) ${offsetMs < 0 ? '-' : '+'} ${Math.abs(offsetMs)}) }}`;
  }
  const time = Date.parse(text);
  if (Number.isNaN(time)) {
    notes.push(`the date "${text}" could not be read; write it as ISO 8601 (2024-01-31T09:00:00Z)`);
    return undefined;
  }
  return new Date(time + offsetMs).toISOString();
}

export const delayConverter: NodeConverter = {
  matches: (node) => appKey(node.app) === 'DelayAPI',
  convert(node: ZapNode, ctx: ZapContext): Conversion {
    const notes: string[] = [];
    const kind = node.action === 'delay_until' ? 'until' : 'duration';
    const name = ctx.stepName(node, node.title ?? (kind === 'until' ? 'Delay Until' : 'Delay For'));
    ctx.outputs.set(node.id, { kind: 'step', slug: stepSlug(name), base: [] });
    if (node.action === 'delay_queue' || node.action === 'delay_after_queue') {
      notes.push(
        'Zapier spaced runs out through a shared queue; KhaosFlow waits this long within each run instead - give the workflow a queue: key to run them one at a time',
      );
    } else if (node.action !== 'delay_for' && node.action !== 'delay_until') {
      notes.push(`the delay "${node.action}" is not known to the importer; imported as a delay for the given length`);
    }
    const value = kind === 'until' ? until(node, ctx, notes) : duration(node, ctx, notes);
    if (kind === 'until' && node.params.handle_past !== undefined) {
      notes.push(
        `Zapier's handling of dates already past ("${String(node.params.handle_past)}") is not kept: a time already past lets the run go on at once`,
      );
    }
    if (value === undefined) {
      const message = `Zapier delay not imported: ${notes.join('; ')}`;
      return {
        steps: [{ name, action: { type: 'log', level: 'warn', message } }],
        status: 'unsupported',
        became: { name, type: 'log' },
        notes,
      };
    }
    const faithful = notes.every((note) => note.startsWith("Zapier's handling"));
    return {
      steps: [{ name, action: { type: 'delay', [kind]: value } }],
      status: faithful ? 'converted' : 'needs_review',
      became: { name, type: 'delay' },
      notes,
    };
  },
};
