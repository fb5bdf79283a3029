// Expressions come from workflow files and run on shared workers: they are bounded in
// time, depth and size, and can never reach JavaScript.
import { afterEach, describe, expect, it } from 'vitest';
import { compileExpression, defaultExpressionLimits, setExpressionLimits } from '../../server/expression/compile.js';

afterEach(() => setExpressionLimits(defaultExpressionLimits));

describe('expression limits', () => {
  it('stops an evaluation that runs past its time budget', async () => {
    setExpressionLimits({ timeoutMs: 20 });
    const endless = compileExpression('($count_down := function($n){ $n > 0 ? $count_down($n - 1) : 0 }; $count_down(1e9))');
    await expect(endless.evaluate({})).rejects.toMatchObject({
      code: 'D1012',
      reason: 'the expression took longer than 20 ms and was stopped',
    });
  });

  it('stops recursion deeper than the depth bound', async () => {
    const deep = compileExpression('($depth := function($n){ $n = 0 ? 0 : 1 + $depth($n - 1) }; $depth(100000))');
    await expect(deep.evaluate({})).rejects.toMatchObject({
      code: 'D1011',
      reason: 'the expression nests deeper than 500 levels and was stopped',
    });
  });

  it('stops building huge lists', async () => {
    await expect(compileExpression('$count([1..2000000])').evaluate({})).rejects.toMatchObject({
      code: 'D2015',
      reason: 'the expression built a list of more than 1000000 items and was stopped',
    });
  });

  it('refuses expressions nested too deep to parse safely', async () => {
    expect(() => compileExpression(`${'('.repeat(5000)}1${')'.repeat(5000)}`)).toThrow(
      expect.objectContaining({ reason: 'the expression nests more than 100 levels deep', position: 100 }),
    );
    expect(() => compileExpression(`${'-'.repeat(5000)}1`)).toThrow(expect.objectContaining({ position: 100 }));
  });

  it('cannot reach JavaScript through constructors or prototypes', async () => {
    const probe = globalThis as { __expression_escape?: boolean };
    await expect(compileExpression('$string.constructor("globalThis.__expression_escape = true")()').evaluate({})).rejects.toMatchObject({
      code: 'T1006',
    });
    expect(await compileExpression('trigger.constructor').evaluate({ trigger: {} })).toBeUndefined();
    expect(await compileExpression('$lookup(trigger, "__proto__")').evaluate({ trigger: {} })).toBeUndefined();
    expect(probe.__expression_escape).toBeUndefined();
  });

  it('returns function values as undefined rather than handing them out', async () => {
    expect(await compileExpression('function($x){ $x }').evaluate({})).toBeUndefined();
  });
});
