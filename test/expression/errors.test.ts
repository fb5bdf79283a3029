// Expression errors name the expression, the position inside it and the step.
import { describe, expect, it } from 'vitest';
import { compileExpression } from '../../server/expression/compile.js';
import { ExpressionError } from '../../server/expression/errors.js';
import { compileTemplate } from '../../server/expression/template.js';

async function failure(run: () => unknown): Promise<ExpressionError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof ExpressionError) return error;
    throw error;
  }
  throw new Error('expected an ExpressionError');
}

describe('expression errors', () => {
  it('points a syntax error at the offending token of the expression as written', async () => {
    const error = await failure(() => compileExpression('sum(trigger.data.x) + }'));
    expect(error.code).toBe('S0211');
    expect(error.position).toBe(22);
    expect(error.expression).toBe('sum(trigger.data.x) + }');
  });

  it('says where inside a template the expression starts', async () => {
    const error = await failure(() => compileTemplate('Total: {{ trigger.data.total + }}'));
    expect(error.templateOffset).toBe(9);
    expect(error.reason).toBe('Unexpected end of expression');
  });

  it('names the step at run time', async () => {
    const error = await failure(() =>
      compileTemplate('{{ trigger.data.name + 1 }}').evaluate({ trigger: { data: { name: 'Ada' } } }, 'Check Inventory'),
    );
    expect(error.step).toBe('Check Inventory');
    expect(error.code).toBe('T2001');
    expect(error.message).toBe(
      'The left side of the "+" operator must evaluate to a number (expression "trigger.data.name + 1" in step "Check Inventory", at character 19)',
    );
  });

  it("explains helper failures in the helper's words", async () => {
    const error = await failure(() => compileExpression('sum(trigger.data.xs)').evaluate({ trigger: { data: { xs: [1, 'two'] } } }));
    expect(error.reason).toBe('sum() expects numbers; got "two"');
  });

  it('rejects an empty expression', async () => {
    const error = await failure(() => compileTemplate('{{   }}'));
    expect(error.reason).toBe('the expression is empty');
  });
});
