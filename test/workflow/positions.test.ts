// An error inside an expression is reported at its line:col in the file, whatever YAML
// style holds the string: plain, quoted with escapes, or a block scalar.
import { describe, expect, it } from 'vitest';
import { problemsOf, yaml } from './helpers.js';

// jsonata reports the end of the expression, so the column is that of the closing }}.
const message = 'invalid expression "{{trigger.data.x +}}": Unexpected end of expression';

describe('positions of expression errors', () => {
  it.each([
    ['plain', ['action:', '  type: log', '  message: Total {{trigger.data.x +}} due'], '3:36'],
    ['double-quoted with escapes', ['action:', '  type: log', '  message: "\\"Total\\" \\t {{trigger.data.x +}}"'], '3:44'],
    ['double-quoted over two lines', ['action:', '  type: log', '  message: "Total', '    \\u00e9 {{trigger.data.x +}}"'], '4:30'],
    ['single-quoted with a doubled quote', ['action:', '  type: log', "  message: 'it''s {{trigger.data.x +}}'"], '3:37'],
    ['a block literal', ['action:', '  type: log', '  message: |', '    Dear customer,', '    your total is {{trigger.data.x +}}'], '5:37'],
    [
      'a folded block',
      ['action:', '  type: log', '  message: >-', '    Dear customer,', '      your total is', '    {{trigger.data.x +}}'],
      '6:23',
    ],
  ])('in %s', (_, lines, at) => {
    const [problem] = problemsOf(yaml(...lines));
    expect(problem).toBe(`${at} action.message: ${message}`);
  });

  it('in a flow mapping inside a list', () => {
    expect(problemsOf(yaml('steps:', '  - {name: A, action: {type: log, message: "{{ trigger.data.x + }}"}}'))).toEqual([
      '2:65 steps[0].action.message: invalid expression "{{ trigger.data.x + }}": Unexpected end of expression',
    ]);
  });
});
