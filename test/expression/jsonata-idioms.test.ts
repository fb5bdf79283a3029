// Everyday JSONata written inside `{{ }}` gives exactly what plain jsonata gives on the same
// run context (the input of a template expression). Each of these once came out empty,
// undefined or as an error.
import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { compileExpression, compileTemplate } from '../../server/expression/index.js';
import { templateInput, type ExpressionContext } from '../../server/expression/context.js';

const context: ExpressionContext = {
  trigger: {
    data: {
      items: [
        { sku: 'a', price: 3.5, qty: 2 },
        { sku: 'b', price: 10, qty: 1 },
      ],
      names: ['abc', 'de'],
      customer: { name: 'Ada', tier: 'gold' },
    },
  },
  vars: { min_price: 5 },
  now: '2026-12-05T10:00:00.000Z',
};

/** Plain jsonata with the same input and the same `$trigger`, `$vars`, ... bindings. */
async function plain(expression: string): Promise<unknown> {
  const bindings = { trigger: context.trigger, vars: context.vars };
  const result = await jsonata(expression).evaluate(templateInput(context), bindings);
  return result === undefined ? undefined : JSON.parse(JSON.stringify(result));
}

async function outcome(run: () => Promise<unknown>): Promise<unknown> {
  try {
    return { value: await run() };
  } catch (error) {
    return { error: (error as { code?: string }).code };
  }
}

describe('JSONata idioms in templates', () => {
  it.each([
    [
      'trigger.data.items.{"sku": sku, "total": price * qty}',
      [
        { sku: 'a', total: 7 },
        { sku: 'b', total: 10 },
      ],
    ],
    [
      'trigger.data.items.[sku, qty]',
      [
        ['a', 2],
        ['b', 1],
      ],
    ],
    ['trigger.data.items.$string(sku)', ['a', 'b']],
    ['trigger.data.names.$length()', [3, 2]],
    ['$map(trigger.data.items, function($i)<o:n>{$i.qty})', [2, 1]],
    [
      'trigger.data.items#$i.{"n": $i, "sku": sku}',
      [
        { n: 0, sku: 'a' },
        { n: 1, sku: 'b' },
      ],
    ],
    ['trigger.data.items[price > $vars.min_price].sku', 'b'],
    ['trigger.data.*[tier = "gold"].name', 'Ada'],
    ['trigger.data.items.(price * qty)', [7, 10]],
    ['$sum(trigger.data.items.(price * qty))', 17],
    ['trigger.data.items^(>price).sku', ['b', 'a']],
    ['trigger.data.items{sku: qty}', { a: 2, b: 1 }],
    ['$count(trigger.data.items)', 2],
    ['$max(trigger.data.items.price)', 10],
    ['trigger.data.items[0].%.customer.name', 'Ada'],
    ['(trigger.data.items ~> $filter(function($v){$v.qty > 1})).sku', 'a'],
    ['$reduce(trigger.data.items, function($acc, $v){$acc + $v.qty}, 0)', 3],
    ['trigger.data ~> | items | {"seen": true} |', undefined],
    ['trigger.data ~> | items | $merge([$, {"seen": true}]) |', undefined],
    ['$each(trigger.data.customer, function($v, $k){$k & "=" & $v})', ['name=Ada', 'tier=gold']],
  ])('%s', async (expression, expected) => {
    const ours = await compileExpression(expression).evaluate(context);
    const reference = await plain(expression);
    expect(ours).toEqual(reference);
    if (expected !== undefined) expect(ours).toEqual(expected);
  });

  it.each([
    ['$length(trigger.data.missing)'],
    ['$length(["str"])'],
    ['$max(["1", "2", "3"])'],
    ['$count([1, 2, 3], [])'],
    ['$sum()'],
    ['$sum(trigger.data.missing)'],
    ['$error("stop here")'],
  ])('%s means exactly what JSONata means', async (expression) => {
    expect(await outcome(() => compileExpression(expression).evaluate(context))).toEqual(await outcome(() => plain(expression)));
  });

  it('counts the parent operator % from the variable, as JSONata counts it from the document', async () => {
    const library = { library: { loans: [{ isbn: '1' }], books: [{ isbn: '1', title: 'SICP' }] } };
    const withLibrary: ExpressionContext = { vars: library };
    expect(await compileExpression('library.loans.%.%').evaluate(withLibrary)).toEqual(
      await jsonata('library.loans.%.%').evaluate(library),
    );
    expect(await compileExpression('library.loans.%.books.title').evaluate(withLibrary)).toBe('SICP');
    // One `%` too many is an error when compiling, in both.
    expect(() => compileExpression('library.loans.%.%.%')).toThrow(expect.objectContaining({ code: 'S0217' }));
    expect(() => jsonata('library.loans.%.%.%')).toThrow(expect.objectContaining({ code: 'S0217' }));
  });

  it('keeps the lenient helpers without $: sum skips nulls and reads numeric text', async () => {
    const rows: ExpressionContext = { steps: { q: { result: [{ total: '12.50' }, { total: null }, { total: 2 }] } } };
    expect(await compileExpression('sum(steps.q.result[].total)').evaluate(rows)).toBe(14.5);
    expect(await compileExpression('steps.q.result[].total | sum').evaluate(rows)).toBe(14.5);
    expect(await compileExpression('length(steps.q.missing)').evaluate(rows)).toBe(0);
  });

  it('reads the failure being handled as error.message, and $error() stays a function', async () => {
    const failing: ExpressionContext = { error: { message: 'bad CSV row 3', step: 'parse' } };
    const template = compileTemplate('Failed at {{error.step}}: {{error.message}}');
    expect(await template.evaluate(failing)).toBe('Failed at parse: bad CSV row 3');
    await expect(compileExpression('$error("custom")').evaluate(failing)).rejects.toThrow('custom');
  });
});
