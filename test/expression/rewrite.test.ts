// The dialect rewrite works on tokens: helpers without `$`, jq-like pipes, per-element
// all/any and bare variable names, never touching text inside strings or regexes.
import { describe, expect, it } from 'vitest';
import { contextNames } from '../../server/expression/context.js';
import { callableNames, helperNames } from '../../server/expression/helpers.js';
import { rewriteExpression } from '../../server/expression/rewrite.js';

const template = (source: string) =>
  rewriteExpression(source, { callable: callableNames, helpers: helperNames, mode: 'template', contextNames }).text;
const item = (source: string) =>
  rewriteExpression(source, { callable: callableNames, helpers: helperNames, mode: 'item', contextNames }).text;

describe('rewriting expressions', () => {
  it.each([
    ['sum(trigger.data.items.price)', '$__sum(trigger.data.items.price)'],
    ['json(trigger.data)', '$__json(trigger.data)'],
    ['upper("sum(x)")', '$__upper("sum(x)")'],
    ['string(trigger.data.n)', '$string(trigger.data.n)'],
    ['random() < 0.5', '$random() < 0.5'],
    ["lower('count(a)') & count(steps.a.result)", "$__lower('count(a)') & $__count(steps.a.result)"],
    ['$sum(trigger.data.x)', '$sum(trigger.data.x)'],
    ['$match(trigger.data.s, /sum(x)/)', '$match(trigger.data.s, /sum(x)/)'],
    ['`sum`(1)', '`sum`(1)'],
    ['trigger.data /* sum(x) */', 'trigger.data /* sum(x) */'],
  ])('calls helpers without $: %s', (source, expected) => {
    expect(template(source)).toBe(expected);
  });

  it.each([
    ['$.items[].price | sum', '$.items[].price ~> $__sum'],
    ['trigger.data.tags | join(", ")', 'trigger.data.tags ~> $join(", ")'],
    ['trigger.data.n | $string', 'trigger.data.n ~> $string'],
    ['trigger.data.xs | sum | round', 'trigger.data.xs ~> $__sum ~> $round'],
  ])('turns a pipe into a function into ~>: %s', (source, expected) => {
    expect(template(source)).toBe(expected);
  });

  it('leaves jsonata transforms | location | update | alone', () => {
    expect(template('$ ~> | trigger.data.items | {"seen": true} |')).toBe('$ ~> | trigger.data.items | {"seen": true} |');
  });

  it('evaluates all()/any() over X[]<rest> once per element of X', () => {
    expect(template('all(steps.check_inventory.result[].stock > 0)')).toBe(
      '$__all($map(steps.check_inventory.result, function($__element){ $__element.stock > 0 }))',
    );
    expect(template('any(trigger.data.flags[] = true)')).toBe(
      '$__any($map(trigger.data.flags, function($__element){ $__element = true }))',
    );
  });

  it('does not rewrite all() over a plain list', () => {
    expect(template('all(trigger.data.flags[])')).toBe('$__all(trigger.data.flags[])');
    expect(template('all(trigger.data.flags)')).toBe('$__all(trigger.data.flags)');
  });

  it('reads bare names that are not context names as variables', () => {
    expect(template('khaosbase_url & "/api"')).toBe('vars.khaosbase_url & "/api"');
    expect(template('trigger.data.khaosbase_url')).toBe('trigger.data.khaosbase_url');
    expect(template('steps.a.result[price > limit]')).toBe('steps.a.result[price > limit]');
    expect(template('true and null = false')).toBe('true and null = false');
  });

  it.each([
    ['items.{"sku": sku, "total": price * qty}', 'vars.items.{"sku": sku, "total": price * qty}'],
    ['items.[sku, qty]', 'vars.items.[sku, qty]'],
    ['items.$string(sku)', 'vars.items.$string(sku)'],
    ['items#$i.{"n": $i, "sku": sku}', 'vars.items#$i.{"n": $i, "sku": sku}'],
    ['contact.*[type = "home"].number', 'vars.contact.*[type = "home"].number'],
    ['$map(items, function($i)<o:n>{$i.qty})', '$map(vars.items, function($i)<o:n>{$i.qty})'],
    ['λ($a, $b)<n-n:n>{$a + $b}', 'λ($a, $b)<n-n:n>{$a + $b}'],
  ])('leaves names inside path steps, wildcard predicates and signatures to the element: %s', (source, expected) => {
    expect(template(source)).toBe(expected);
  });

  it('never reads the bars of a transform as pipes, whatever the update starts with', () => {
    expect(template('trigger.data ~> | items | $merge([$, {"seen": true}]) |')).toBe(
      'trigger.data ~> | items | $merge([$, {"seen": true}]) |',
    );
  });

  it('starts variables at $__vars when the parent operator % is used, so % counts as in JSONata', () => {
    expect(template('library.loans.%.%')).toBe('$__vars.library.loans.%.%');
    expect(template('library.loans[%.open]')).toBe('$__vars.library.loans[%.open]');
    expect(template('limit % 7')).toBe('vars.limit % 7');
  });

  it('reads bare item as the element in item mode, and other names as its fields', () => {
    expect(item('item.price > 100 and price < 500')).toBe('$item.price > 100 and price < 500');
    expect(item('orders[item > 1]')).toBe('orders[item > 1]');
  });

  it('maps rewritten offsets back to what the author wrote', () => {
    const rewritten = rewriteExpression('sum(a) +', { callable: callableNames, helpers: helperNames, mode: 'item', contextNames });
    expect(rewritten.text).toBe('$__sum(a) +');
    expect(rewritten.toOrigin(rewritten.text.indexOf('+'))).toBe(7);
    expect(rewritten.toOrigin(rewritten.text.indexOf('('))).toBe(3);
  });
});
