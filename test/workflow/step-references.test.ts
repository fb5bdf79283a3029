// `steps.<slug>` inside expressions must name a step; reading one that has not run yet is
// allowed but warned about.
import { describe, expect, it } from 'vitest';
import { problemsOf, warningsOf, yaml } from './helpers.js';

describe('step references', () => {
  it('accepts references to earlier steps anywhere in the tree, in every reference form', () => {
    expect(
      warningsOf(
        yaml(
          'steps:',
          '  - name: Check Inventory',
          '    action: {type: database_query, query: "select 1"}',
          '  - name: Branch',
          '    condition:',
          '      if: "{{$count($steps.check_inventory.result) > 0}}"',
          '      then:',
          '        - name: Use It',
          '          action: {type: log, message: "{{$$.steps.check_inventory.result}}", data: "{{steps.branch}}"}',
        ),
      ),
    ).toEqual([]);
  });

  it('rejects a reference to the trigger step as if it were a step', () => {
    expect(
      problemsOf(
        yaml(
          'steps:',
          '  - name: Receive Order',
          '    trigger: {type: webhook}',
          '  - name: Log',
          '    action: {type: log, message: "{{steps.receive_order.data}}"}',
        ),
      ),
    ).toEqual(['5:43 steps[1].action.message: receive_order is the trigger, not a step; read its data as trigger.data']);
  });

  it("lists the workflow's steps when nothing is close", () => {
    expect(
      problemsOf(
        yaml(
          'steps:',
          '  - name: Fetch',
          '    action: {type: log, message: x}',
          '  - name: Send',
          '    action: {type: log, message: "{{steps.totally_unrelated.result}}"}',
        ),
      ),
    ).toEqual([
      '5:43 steps[1].action.message: unknown step "totally_unrelated"; steps are named by the snake_case of their name (this workflow has: fetch, send)',
    ]);
  });

  it('checks references inside transform expressions, on_failure actions and loops', () => {
    expect(
      problemsOf(
        yaml(
          'steps:',
          '  - name: Load',
          '    loop:',
          '      over: "{{steps.lod.result}}"',
          '      steps:',
          '        - action: {type: transform, operation: filter, input: "{{item.rows}}", condition: "qty > $steps.lod.min"}',
          'error_handling:',
          '  on_failure:',
          '    - {type: log, message: "{{steps.lod.error}}"}',
        ),
      ),
    ).toEqual([
      '4:22 steps[0].loop.over: unknown step "lod"; did you mean "load"?',
      '6:105 steps[0].loop.steps[0].action.condition: unknown step "lod"; did you mean "load"?',
      '9:37 error_handling.on_failure[0].message: unknown step "lod"; did you mean "load"?',
    ]);
  });

  it("warns about a step reading its own result or a later step's", () => {
    expect(
      warningsOf(
        yaml(
          'steps:',
          '  - name: First',
          '    action: {type: log, message: "{{steps.second.result}} {{steps.first.result}}"}',
          '  - name: Second',
          '    action: {type: log, message: x}',
        ),
      ),
    ).toEqual([
      '3:43 steps[0].action.message: steps.second is a later step (line 4), so it has no result yet when this runs',
      '3:67 steps[0].action.message: steps.first is this step itself, so it has no result yet when this runs',
    ]);
  });

  it('does not look for expressions in script code', () => {
    expect(warningsOf(yaml('action:', '  type: run_script', '  runtime: bash', '  code: echo "{{steps.nope}} ${HOME}"'))).toEqual([]);
  });
});

describe('SQL warnings', () => {
  it('warns when a query uses placeholders it is given no values for', () => {
    expect(
      warningsOf(
        yaml('action:', '  type: database_query', '  query: "update t set a = $2 where id = $1 and note = \'$3\'"', '  parameters: [1]'),
      ),
    ).toEqual(['3:10 action.query: the query uses $2 but only 1 parameter is given; add a value for each placeholder under parameters:']);
  });

  it('warns about values pasted into SQL text', () => {
    expect(warningsOf(yaml('action:', '  type: database_query', '  query: "select * from t where id = {{trigger.data.id}}"'))).toEqual([
      '3:38 action.query: a value pasted into the SQL text is open to SQL injection; use a $1, $2, ... placeholder and pass the value in parameters:',
    ]);
  });
});

describe('variables', () => {
  it('warns about a variable hidden by a context name', () => {
    expect(warningsOf(yaml('vars:', '  trigger: 1', '  region: eu'))).toEqual([
      '2:3 vars.trigger: the variable "trigger" is hidden by the context\'s own trigger; read it as vars.trigger',
    ]);
  });
});
