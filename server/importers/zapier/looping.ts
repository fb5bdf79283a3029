// Looping by Zapier as a loop step. Zapier runs every step after the loop once per
// item, so they all go into `loop.steps`. Each item is an object with the loop's
// value fields and `loop_iteration` (from 1), so `{{<id>__name}}` becomes `item.name`.
//   loop_from_line_items: values {name: "{{1__items__name}}"} -> the lists zipped by position
//   loop_from_text:       values split at the delimiter (default ",")
//   loop_from_numbers:    start..end (whole numbers)
import type { Conversion, NodeConverter, ZapContext } from './context.js';
import { appKey } from './naming.js';
import type { ZapNode } from './types.js';

const str = JSON.stringify;
const text = (value: unknown) => (value === undefined || value === null ? '' : String(value));

function valueLists(node: ZapNode, ctx: ZapContext): Array<[string, string]> {
  const values = node.params.values ?? node.params.line_items ?? {};
  if (typeof values !== 'object' || values === null) return [];
  const fromText = node.action.includes('text');
  const delimiter = text(node.params.text_delimiter ?? node.params.delimiter) || ',';
  const trim = text(node.params.trim_whitespace ?? 'yes').toLowerCase() !== 'no';
  return Object.entries(values as Record<string, unknown>).map(([name, value]) => {
    const source = ctx.expression(node, text(value));
    if (!fromText) return [name, `[${source}]`];
    const split = `$split(${source} & "", ${str(delimiter)})`;
    return [name, trim ? `$map(${split}, $trim)` : split];
  });
}

function overExpression(node: ZapNode, ctx: ZapContext, notes: string[]): string | undefined {
  if (node.action.includes('number')) {
    const start = Number(node.params.start ?? node.params.start_number ?? 1);
    const end = Number(node.params.end ?? node.params.end_number);
    const step = Number(node.params.increment ?? 1);
    if (![start, end].every(Number.isInteger) || step !== 1) {
      notes.push('only whole-number ranges counting by 1 can be imported');
      return undefined;
    }
    return `$map([${start}..${end}], function($n, $i) { {"loop_number": $n, "loop_iteration": $i + 1} })`;
  }
  const lists = valueLists(node, ctx);
  if (lists.length === 0) {
    notes.push('the loop has no values to loop over');
    return undefined;
  }
  const firstList = lists[0]![1];
  const fields = lists.map(([name, list], position) => `${str(name)}: ${position === 0 ? '$v' : `${list}[$i]`}`);
  return `$map(${firstList}, function($v, $i) { {${fields.join(', ')}, "loop_iteration": $i + 1} })`;
}

export const loopingConverter: NodeConverter = {
  matches: (node) => ['LoopingAPI', 'LoopingCLIAPI'].includes(appKey(node.app)),
  wraps: true,
  convert(node: ZapNode, ctx: ZapContext): Conversion {
    const name = ctx.stepName(node, node.title ?? 'Loop');
    const notes: string[] = [];
    const over = overExpression(node, ctx, notes);
    ctx.outputs.set(node.id, { kind: 'loop' });
    const steps = ctx.stepsAfter(node, ctx);
    if (over === undefined) {
      const message = `Zapier loop not imported: ${notes.join('; ')}`;
      return {
        steps: [{ name, action: { type: 'log', level: 'warn', message } }, ...steps],
        status: 'unsupported',
        became: { name, type: 'log' },
        notes,
      };
    }
    const body = steps.length
      ? steps
      : [{ name: ctx.names.take(`${name} Item`, `Loop ${node.id} Item`), action: { type: 'log', message: 'item {{index}}' } }];
    if (node.params.iteration_limit !== undefined)
      notes.push(`Zapier's iteration limit (${text(node.params.iteration_limit)}) is not kept`);
    notes.push('every step after the loop runs once per item, as in Zapier; loop_iteration_is_last is not provided');
    return { steps: [{ name, loop: { over: `{{ ${over} }}`, steps: body } }], status: 'converted', became: { name, type: 'loop' }, notes };
  },
};
