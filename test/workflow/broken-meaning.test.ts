// Files that fit the schema but do not make sense: bad schedules, clashing or unknown step
// names, misplaced triggers, expressions that do not compile. Each gives exactly these
// problems (line:col path: message).
import { describe, expect, it } from 'vitest';
import { problemsOf, yaml } from './helpers.js';

interface BrokenDocument {
  name: string;
  yaml: string[];
  problems: string[];
}

const cases: BrokenDocument[] = [
  {
    name: 'a cron with minute 61',
    yaml: ['trigger:', '  type: schedule', '  cron: "61 * * * *"'],
    problems: [
      '3:9 trigger.cron: cron "61 * * * *" is not valid: Invalid value for minute: 61; the fields are minute hour day-of-month month day-of-week, e.g. "0 9 * * 1-5"',
    ],
  },
  {
    name: 'a cron with four fields',
    yaml: ['trigger:', '  type: schedule', '  cron: "* * * *"'],
    problems: [
      '3:9 trigger.cron: cron "* * * *" is not valid: invalid configuration format (\'* * * *\'), exactly five, six, or seven space separated parts are required; the fields are minute hour day-of-month month day-of-week, e.g. "0 9 * * 1-5"',
    ],
  },
  {
    name: 'a cron that never fires',
    yaml: ['trigger:', '  type: schedule', '  cron: "0 0 31 2 *"'],
    problems: ['3:9 trigger.cron: cron "0 0 31 2 *" never fires (no date matches it)'],
  },
  {
    name: 'a misspelt time zone',
    yaml: ['trigger:', '  type: schedule', '  cron: "0 9 * * *"', '  timezone: America/Chicgo'],
    problems: ['4:13 trigger.timezone: unknown time zone "America/Chicgo"; did you mean "America/Chicago"?'],
  },
  {
    name: 'a schedule the grammar cannot read',
    yaml: ['trigger:', '  type: schedule', '  schedule: "every fortnight"'],
    problems: [
      '3:13 trigger.schedule: cannot read "every fortnight"; write it like "every weekday at 9am", "every 15 minutes", "every monday at 17:30", "every day at noon", or give a cron: expression',
    ],
  },
  {
    name: 'a misspelt weekday in a schedule',
    yaml: ['trigger:', '  type: schedule', '  schedule: "every mondy at 9am"'],
    problems: ['3:13 trigger.schedule: "mondy" is not a day; did you mean "monday"?'],
  },
  {
    name: 'a schedule trigger with neither cron nor schedule',
    yaml: ['trigger:', '  type: schedule', '  timezone: UTC'],
    problems: ['2:9 trigger.type: a schedule trigger needs cron: (e.g. "0 9 * * 1-5") or schedule: (e.g. "every weekday at 9am")'],
  },
  {
    name: 'cron and schedule that disagree',
    yaml: ['trigger:', '  type: schedule', '  cron: "0 10 * * 1-5"', '  schedule: every weekday at 9am'],
    problems: [
      '4:13 trigger.schedule: schedule "every weekday at 9am" means cron "0 9 * * 1-5", but cron: is "0 10 * * 1-5"; keep one of the two',
    ],
  },
  {
    name: 'a reference to a misspelt step',
    yaml: [
      'steps:',
      '  - name: Check Inventory',
      '    action: {type: log, message: x}',
      '  - name: B',
      '    action:',
      '      type: log',
      '      message: "{{steps.check_inventry.result}}"',
    ],
    problems: ['7:25 steps[1].action.message: unknown step "check_inventry"; did you mean "check_inventory"?'],
  },
  {
    name: 'an expression with a dangling operator',
    yaml: ['action:', '  type: log', '  message: "Total: {{ trigger.data.total + }}"'],
    problems: ['3:44 action.message: invalid expression "{{ trigger.data.total + }}": Unexpected end of expression'],
  },
  {
    name: 'a {{ never closed',
    yaml: ['action:', '  type: log', '  message: "Total: {{ trigger.data.total"'],
    problems: ['3:20 action.message: "{{" is never closed by "}}"'],
  },
  {
    name: 'a filter condition that is not an expression',
    yaml: ['action:', '  type: transform', '  operation: filter', '  input: "{{trigger.data.items}}"', '  condition: "price >"'],
    problems: ['5:22 action.condition: invalid expression "price >": Unexpected end of expression'],
  },
  {
    name: 'a map transform with a syntax error in a block scalar',
    yaml: [
      'action:',
      '  type: transform',
      '  operation: map',
      '  input: "{{trigger.data.items}}"',
      '  transform: |',
      '    {',
      '      "id": $.id,',
      '      "x": $.a +',
      '    }',
    ],
    problems: [
      '9:5 action.transform: invalid expression "{ \\"id\\": $.id, \\"x\\": $.a + }": The symbol "}" cannot be used as a unary operator',
    ],
  },
  {
    name: 'two steps whose names give the same slug',
    yaml: [
      'steps:',
      '  - name: Check Inventory',
      '    action: {type: log, message: x}',
      '  - name: check inventory',
      '    action: {type: log, message: y}',
    ],
    problems: [
      '4:11 steps[1].name: step "check inventory" has the slug check_inventory, like step "Check Inventory" on line 2; step slugs must be unique in the whole workflow (steps.check_inventory would be ambiguous), so rename one',
    ],
  },
  {
    name: 'a nested step sharing a slug with a top-level step',
    yaml: [
      'steps:',
      '  - name: A',
      '    condition:',
      '      if: true',
      '      then:',
      '        - name: B',
      '          action: {type: log, message: x}',
      '  - name: b',
      '    action: {type: log, message: y}',
    ],
    problems: [
      '8:11 steps[1].name: step "b" has the slug b, like step "B" on line 6; step slugs must be unique in the whole workflow (steps.b would be ambiguous), so rename one',
    ],
  },
  {
    name: 'retry on the step and inside its action',
    yaml: [
      'steps:',
      '  - name: A',
      '    retry: {attempts: 2}',
      '    action:',
      '      type: http_request',
      '      url: x',
      '      retry: {attempts: 3}',
    ],
    problems: ['7:7 steps[0].action.retry: retry is given both on the step and inside its action; keep one'],
  },
  {
    name: 'retry inside an on_failure action',
    yaml: ['error_handling:', '  on_failure:', '    - type: log', '      message: x', '      retry: {attempts: 2}'],
    problems: ['5:7 error_handling.on_failure[0].retry: on_failure actions run once; retry is not available here'],
  },
  {
    name: 'a trigger as the second step',
    yaml: ['steps:', '  - name: A', '    action: {type: log, message: x}', '  - name: B', '    trigger: {type: webhook}'],
    problems: ['5:5 steps[1].trigger: a trigger can only be the first step of the workflow (or the top-level trigger:)'],
  },
  {
    name: 'a trigger at the top and as the first step',
    yaml: ['trigger: {type: manual}', 'steps:', '  - name: A', '    trigger: {type: webhook}'],
    problems: ['4:5 steps[0].trigger: the workflow already has a trigger (line 1); keep one'],
  },
  {
    name: 'action: and steps: together',
    yaml: ['action: {type: log, message: x}', 'steps: []'],
    problems: ['1:1 action: give either action: (a one-step workflow) or steps:, not both'],
  },
  {
    name: 'a name with no letters or digits',
    yaml: ['name: "!!!"'],
    problems: ['1:7 name: the name "!!!" has no letters a-z or digits to make the workflow slug from; add slug: (e.g. slug: my-workflow)'],
  },
  {
    name: 'a step name with no letters or digits',
    yaml: ['steps:', '  - name: "???"', '    action: {type: log, message: x}'],
    problems: ['2:11 steps[0].name: the step name "???" has no letters or digits to make its slug (steps.<slug>) from; rename it'],
  },
  {
    name: 'a webhook dedupe key reading a step',
    yaml: [
      'trigger:',
      '  type: webhook',
      '  dedupe_key: "{{steps.a.result}}"',
      'steps:',
      '  - name: A',
      '    action: {type: log, message: x}',
    ],
    problems: ['3:24 trigger.dedupe_key: steps.a cannot be read here: this is evaluated before any step runs'],
  },
];

describe('documents that do not make sense', () => {
  it.each(cases)('$name', ({ yaml: lines, problems }) => {
    expect(problemsOf(yaml(...lines))).toEqual(problems);
  });
});
