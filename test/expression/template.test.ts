// Templates keep the type of a lone {{ }}, interpolate mixed text, and walk objects and
// lists without touching keys.
import { describe, expect, it } from 'vitest';
import { ExpressionError } from '../../server/expression/errors.js';
import { compileTemplate, interpolate, parseTemplate } from '../../server/expression/template.js';

const context = {
  trigger: { data: { id: 42, name: 'Ada', total: 19.5, paid: true, tags: ['a', 'b'], customer: { tier: 'gold' }, missing: null } },
  steps: { lookup: { result: [{ id: 1 }] } },
  vars: { base_url: 'https://x.test' },
};
const evaluate = (template: unknown) => compileTemplate(template).evaluate(context);

describe('templates', () => {
  it.each([
    ['{{trigger.data.id}}', 42],
    ['{{trigger.data.paid}}', true],
    ['{{trigger.data.tags}}', ['a', 'b']],
    ['{{trigger.data.customer}}', { tier: 'gold' }],
    ['{{trigger.data.missing}}', null],
    ['  {{trigger.data.total}}\n', 19.5],
  ])('keeps the type of a value that is exactly one {{ }}: %s', async (template, expected) => {
    expect(await evaluate(template)).toEqual(expected);
  });

  it('interpolates mixed text, with JSON for objects and nothing for null or undefined', async () => {
    expect(
      await evaluate(
        '#{{trigger.data.id}} {{trigger.data.name}} paid={{trigger.data.paid}} {{trigger.data.tags}} {{trigger.data.customer}}|{{trigger.data.missing}}|{{trigger.data.nope}}|',
      ),
    ).toBe('#42 Ada paid=true ["a","b"] {"tier":"gold"}|||');
  });

  it('walks objects and lists, leaving keys and non-string values alone', async () => {
    const template = { '{{trigger.data.name}}': ['{{trigger.data.id}}', 3, false], nested: { url: '{{base_url}}/x', n: null } };
    expect(await evaluate(template)).toEqual({ '{{trigger.data.name}}': [42, 3, false], nested: { url: 'https://x.test/x', n: null } });
  });

  it('drops object keys whose value is undefined and puts null in lists', async () => {
    expect(await evaluate({ a: '{{trigger.data.nope}}', b: ['{{trigger.data.nope}}'] })).toEqual({ b: [null] });
  });

  it('returns fresh objects on every evaluation', async () => {
    const compiled = compileTemplate({ headers: { a: 'b' } });
    const first = (await compiled.evaluate(context)) as { headers: object };
    const second = (await compiled.evaluate(context)) as { headers: object };
    expect(first).toEqual(second);
    expect(first.headers).not.toBe(second.headers);
  });

  it('ends an expression at the }} outside strings and object constructors', async () => {
    expect(await evaluate('{{ {"a": {"b": trigger.data.id}} }}')).toEqual({ a: { b: 42 } });
    expect(await evaluate('{{ "}}" & trigger.data.name }}')).toBe('}}Ada');
    expect(await evaluate('literal {{ "{{" }} braces')).toBe('literal {{ braces');
  });

  it('reads names with dashes or spaces in backticks, variables included', async () => {
    const headers = { trigger: { headers: { 'x-delivery-id': 'd-1' } }, vars: { 'api base': 'https://api.test' } };
    expect(await compileTemplate('{{`api base`}}/hooks/{{trigger.headers.`x-delivery-id`}}').evaluate(headers)).toBe(
      'https://api.test/hooks/d-1',
    );
  });

  it('lists the steps a template reads, once each', () => {
    const compiled = compileTemplate({
      a: '{{steps.lookup.result}}',
      b: ['{{$count(steps.lookup.result) + $count($steps.other.result)}}'],
      c: 'plain',
    });
    expect(compiled.stepReferences).toEqual(['lookup', 'other']);
    expect(compileTemplate({ c: 'plain' }).hasExpressions).toBe(false);
  });

  it('splits text and expressions with their offsets', () => {
    expect(parseTemplate('Order #{{ trigger.data.id }}!')).toEqual([
      { kind: 'text', text: 'Order #' },
      { kind: 'expression', source: ' trigger.data.id ', offset: 9 },
      { kind: 'text', text: '!' },
    ]);
  });

  it('reports an unclosed {{ at its position', () => {
    const error = catchError(() => parseTemplate('Total: {{ trigger.data.total'));
    expect(error).toBeInstanceOf(ExpressionError);
    expect(error.templateOffset).toBe(7);
    expect(error.reason).toBe('"{{" is never closed by "}}"');
  });

  it('renders values for text the same way everywhere', () => {
    expect([interpolate(undefined), interpolate(null), interpolate(1.5), interpolate('x'), interpolate([1])]).toEqual([
      '',
      '',
      '1.5',
      'x',
      '[1]',
    ]);
  });
});

function catchError(fn: () => unknown): ExpressionError {
  try {
    fn();
  } catch (error) {
    return error as ExpressionError;
  }
  throw new Error('expected an error');
}
