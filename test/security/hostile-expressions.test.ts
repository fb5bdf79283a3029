// Expressions written by anyone who can edit a workflow, over data anyone can send to
// a webhook: whatever the text, the real compiler and evaluator give a result or an
// ExpressionError - never another exception, never a stuck process. Runaway work is
// stopped by the evaluator's own limits (time, depth, list size), and a regex that
// would backtrack exponentially runs in linear time or is refused when compiled.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { compileExpression, type ExpressionContext, ExpressionError } from '../../server/expression/index.js';

const context = (data: unknown = {}): ExpressionContext =>
  ({ trigger: { data }, steps: {}, secrets: {}, vars: {}, workflow: {}, run: {} }) as unknown as ExpressionContext;

/** Either a value or an ExpressionError: the only two answers a user may see. */
async function outcome(source: string, data?: unknown): Promise<{ value: unknown } | { error: string }> {
  try {
    return { value: await compileExpression(source).evaluate(context(data)) };
  } catch (err) {
    if (!(err instanceof ExpressionError))
      throw new Error(`${JSON.stringify(source)} threw ${(err as Error)?.name}: ${(err as Error)?.message}`);
    return { error: err.message };
  }
}

const POLLUTION_KEYS = ['__proto__', 'constructor', 'prototype'];
afterEach(() => {
  // Nothing written by an expression may reach every object of the process.
  for (const probe of [{}, Object.prototype, Object]) {
    expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('polluted');
    expect((probe as Record<string, unknown>).polluted).toBeUndefined();
  }
});

// Fragments of JSONata and of the additions (pipes, [] paths, helpers), glued at random.
const fragment = fc.constantFrom(
  'trigger.data',
  '.items',
  '[]',
  '[0]',
  '[price > 1]',
  '.',
  '$',
  '$$',
  '%',
  '*',
  '**',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  '"a"',
  "'b'",
  '`c d`',
  '1',
  '-',
  '+',
  '/',
  '*',
  '&',
  '?',
  ':',
  ';',
  ',',
  '=',
  '!=',
  '<',
  '>',
  'and',
  'or',
  'in',
  '~>',
  '|',
  ' | sum',
  'sum(',
  'all(',
  'json(',
  '$string(',
  '$match(',
  '/a+/',
  '/(a+)+$/',
  'function($x){',
  '$x',
  ':=',
  '..',
  '{{',
  '}}',
  '__proto__',
  'constructor',
  'prototype',
  '"__proto__"',
  '$eval(',
  '$merge(',
  '$lookup(',
  '$sift(',
  '\\',
  '\n',
);
const expression = fc.oneof(
  fc.array(fragment, { maxLength: 12 }).map((parts) => parts.join('')),
  fc.string({ maxLength: 40 }),
);
const json = fc.jsonValue({ maxDepth: 4 });

describe('fuzzed expressions', () => {
  it('give a result or an ExpressionError, whatever the text and the data', async () => {
    await fc.assert(
      fc.asyncProperty(expression, json, async (source, data) => {
        await outcome(source, data);
      }),
      { numRuns: 400 },
    );
  });

  it('give a result or an ExpressionError for keys that try to reach Object.prototype', async () => {
    const key = fc.constantFrom(...POLLUTION_KEYS);
    await fc.assert(
      fc.asyncProperty(key, key, async (a, b) => {
        const data = JSON.parse(`{"${a}": {"${b}": {"polluted": true}}}`);
        for (const source of [
          `trigger.data.${a}.${b}`,
          `$merge([{}, trigger.data])`,
          `{"${a}": {"${b}": {"polluted": true}}}`,
          `( $o := {"${a}": {"polluted": true}}; $merge([{}, $o]) )`,
          `$lookup({}, "${a}")`,
          `trigger.data ~> | $ | {"${a}": {"polluted": true}} |`,
        ]) {
          await outcome(source, data);
        }
      }),
      { numRuns: 30 },
    );
  });
});

describe('runaway expressions', () => {
  it('stop a computation that never ends with a clear error', async () => {
    expect(await outcome('(function($f){ $f($f) })(function($g){ $g($g) })')).toEqual({
      error: expect.stringMatching(/took longer than \d+ ms and was stopped|too deep|stack/i),
    });
    expect(await outcome('[1..5000000].($ * 2) ~> $count')).toEqual({
      error: expect.stringMatching(/more than \d+ items and was stopped/),
    });
  });

  it('match a regex with nested quantifiers in linear time instead of hanging', async () => {
    const text = `${'a'.repeat(5000)}!`;
    expect(await outcome('$contains(trigger.data.text, /^(a+)+$/)', { text })).toEqual({ value: false });
    expect(await outcome('$contains(trigger.data.text, /^(a|aa)+$/)', { text })).toEqual({ value: false });
    expect(await outcome('$replace(trigger.data.text, /(a*)*b/, "x")', { text })).toEqual({ value: text });
    expect(await outcome('$split(trigger.data.text, /(\\w+\\s?)*$/) ~> $count', { text: `${'word '.repeat(2000)}!` })).toMatchObject({
      value: expect.any(Number),
    });
  });

  it('refuse a regex with a backreference or a lookaround when compiled, saying why', async () => {
    expect(await outcome('$contains(trigger.data.text, /^(a*)*\\1b/)', { text: 'aaaa' })).toEqual({
      error: expect.stringMatching(/uses a backreference, which expressions do not support/),
    });
    expect(await outcome('$match(trigger.data.text, /(?=a)(a+)+$/)', { text: 'aaaa' })).toEqual({
      error: expect.stringMatching(/uses a lookahead or lookbehind/),
    });
    // Escaped, these characters are literal, and allowed.
    expect(await outcome('$contains("x(?=y", /\\(\\?=/)')).toEqual({ value: true });
  });
});
