// Files whose keys or values do not fit the workflow language: each gives exactly these
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
    name: 'an unknown top-level key with no close match',
    yaml: ['name: X', 'colour: blue'],
    problems: [
      '2:1 colour: unknown key "colour"; allowed here: name, slug, description, trigger, steps, action, error_handling, concurrency, queue, priority, timeout, vars',
    ],
  },
  {
    name: 'a misspelt top-level key',
    yaml: ['nmae: X', 'steps: []'],
    problems: ['1:1 nmae: unknown key "nmae"; did you mean "name"?'],
  },
  {
    name: 'a misspelt step kind',
    yaml: ['steps:', '  - name: A', '    acton:', '      type: log', '      message: x'],
    problems: [
      '2:5 steps[0]: a step needs one of action:, condition:, loop: (or for_each:)',
      '3:5 steps[0].acton: unknown key "acton"; did you mean "action"?',
    ],
  },
  {
    name: 'a step with only a name',
    yaml: ['steps:', '  - name: A'],
    problems: ['2:5 steps[0]: a step needs one of action:, condition:, loop: (or for_each:)'],
  },
  {
    name: 'a step that is both an action and a condition',
    yaml: ['steps:', '  - name: A', '    action: {type: log, message: x}', '    condition: {if: true, then: []}'],
    problems: ['4:16 steps[0].condition: a step is one thing: it has both action: and condition:; split it into two steps'],
  },
  {
    name: 'a number where text is expected',
    yaml: ['name: 3'],
    problems: ['1:7 name: must be text, not the number 3'],
  },
  {
    name: 'steps given as a mapping',
    yaml: ['steps:', '  name: A'],
    problems: ['2:3 steps: must be a list, not a mapping'],
  },
  {
    name: 'an unknown HTTP method',
    yaml: ['action:', '  type: http_request', '  method: FETCH', '  url: x'],
    problems: ['3:11 action.method: must be one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS (got "FETCH")'],
  },
  {
    name: 'an HTTP method in lower case',
    yaml: ['action:', '  type: http_request', '  method: post', '  url: x'],
    problems: ['3:11 action.method: must be one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS (got "post"); did you mean "POST"?'],
  },
  {
    name: 'a header value that is a number',
    yaml: ['action:', '  type: http_request', '  url: x', '  headers:', '    X-Count: 3'],
    problems: ['5:14 action.headers.X-Count: must be text, not the number 3'],
  },
  {
    name: 'a timeout that is not a duration',
    yaml: ['action:', '  type: http_request', '  url: x', '  timeout: 30 seconds'],
    problems: ['4:12 action.timeout: must be a duration like 30s, 5m, 300s, 1h30m or a number of milliseconds'],
  },
  {
    name: 'an http_request without url',
    yaml: ['action:', '  type: http_request', '  method: GET'],
    problems: ['1:1 action.url: http_request needs "url"'],
  },
  {
    name: 'a misspelt action type',
    yaml: ['action:', '  type: http_reqest', '  url: x'],
    problems: ['2:9 action.type: unknown action type "http_reqest"; did you mean "http_request"?'],
  },
  {
    name: 'an action without type',
    yaml: ['action:', '  url: x'],
    problems: [
      '1:1 action.type: "type" is required: the action type, one of http_request, graphql, soap, webhook, database_query, database_insert, database_update, database_delete, send_email, email_read, run_script, file_write, file_read, file_list, file_delete, file_move, file_copy, file_upload, file_download, transform, log, delay, call_workflow',
    ],
  },
  {
    name: 'loop written as an action type',
    yaml: ['action:', '  type: loop'],
    problems: ['2:9 action.type: loop is a kind of step, not an action: write "loop:" on the step instead of "action:"'],
  },
  {
    name: 'an unknown trigger type',
    yaml: ['trigger:', '  type: cron'],
    problems: ['2:9 trigger.type: unknown trigger type "cron"; known: webhook, schedule, manual, database, file_watcher, email'],
  },
  {
    name: 'retry on a condition step',
    yaml: ['steps:', '  - name: A', '    retry: {attempts: 2}', '    condition: {if: true, then: []}'],
    problems: ['3:12 steps[0].retry: retry applies to action steps only, not to a condition step'],
  },
  {
    name: 'an abbreviated backoff',
    yaml: ['action:', '  type: http_request', '  url: x', '  retry:', '    attempts: 3', '    backoff: expo'],
    problems: ['6:14 action.retry.backoff: must be one of fixed, exponential (got "expo"); did you mean "exponential"?'],
  },
  {
    name: 'zero retry attempts',
    yaml: ['action:', '  type: http_request', '  url: x', '  retry:', '    attempts: 0'],
    problems: ['5:15 action.retry.attempts: must be at least 1'],
  },
  {
    name: 'attempts and max_attempts together',
    yaml: ['action:', '  type: http_request', '  url: x', '  retry:', '    attempts: 3', '    max_attempts: 3'],
    problems: ['6:19 action.retry.max_attempts: give attempts or max_attempts, not both'],
  },
  {
    name: 'an unknown error strategy',
    yaml: ['error_handling:', '  strategy: retry_and_alert'],
    problems: ['2:13 error_handling.strategy: must be one of retry_then_alert, fail_fast, continue (got "retry_and_alert")'],
  },
  {
    name: 'a select parameter without options',
    yaml: ['trigger:', '  type: manual', '  parameters:', '    - name: env', '      type: select'],
    problems: ['4:7 trigger.parameters[0].options: a select parameter needs options, e.g. options: [dev, staging, prod]'],
  },
  {
    name: 'a select default that is not an option',
    yaml: [
      'trigger:',
      '  type: manual',
      '  parameters:',
      '    - name: env',
      '      type: select',
      '      options: [dev, prod]',
      '      default: staging',
    ],
    problems: ['7:16 trigger.parameters[0].default: default "staging" does not fit type select with options dev, prod'],
  },
  {
    name: 'an unknown database event',
    yaml: ['trigger:', '  type: database', '  table: orders', '  event: UPSERT'],
    problems: ['4:10 trigger.event: must be INSERT, UPDATE or DELETE, or a list of them'],
  },
  {
    name: 'a webhook path without a leading slash',
    yaml: ['trigger:', '  type: webhook', '  path: customers/new'],
    problems: ['3:9 trigger.path: must start with / and use only letters, digits and . _ ~ - /, e.g. /orders/new'],
  },
  {
    name: 'an unknown webhook authentication type',
    yaml: ['trigger:', '  type: webhook', '  authentication:', '    type: basic'],
    problems: [
      '4:11 trigger.authentication.type: unknown authentication type "basic"; known: none, api_key, hmac, github, stripe, shopify, slack, standard_webhooks',
    ],
  },
  {
    name: 'hmac authentication without a secret',
    yaml: ['trigger:', '  type: webhook', '  authentication:', '    type: hmac'],
    problems: ['3:3 trigger.authentication.secret: hmac needs secret: <name> (or secrets: [<name>, ...] while rotating)'],
  },
  {
    name: 'a sender authentication without a secret',
    yaml: ['trigger:', '  type: webhook', '  authentication:', '    type: stripe'],
    problems: ['3:3 trigger.authentication.secret: stripe needs secret: <name> (or secrets: [<name>, ...] while rotating)'],
  },
  {
    name: 'an hmac message with an unknown placeholder',
    yaml: ['trigger:', '  type: webhook', '  authentication:', '    type: hmac', '    secret: s', '    message: "{ts}.{body}"'],
    problems: ['6:14 trigger.authentication.message: may only use the placeholders {timestamp}, {method}, {path}, {query} and {body}'],
  },
  {
    name: 'a condition written without {{ }}',
    yaml: ['steps:', '  - name: A', '    condition:', '      if: "steps.x > 0"', '      then: []'],
    problems: ['4:11 steps[0].condition.if: must be a single {{ expression }}, e.g. "{{steps.check_inventory.result.stock > 0}}"'],
  },
  {
    name: 'a loop over a number',
    yaml: ['steps:', '  - name: A', '    loop:', '      over: 3', '      steps: [{action: {type: log, message: x}}]'],
    problems: ['4:13 steps[0].loop.over: must be a single {{ expression }} giving a list, e.g. "{{trigger.data.orders}}", or a list'],
  },
  {
    name: 'a slug that is not kebab-case',
    yaml: ['name: X', 'slug: My Flow'],
    problems: ['2:7 slug: must be kebab-case, e.g. customer-onboarding'],
  },
  {
    name: 'send_email with neither subject nor template',
    yaml: ['action:', '  type: send_email', '  to: a@b.c'],
    problems: ['1:1 action.subject: send_email needs a subject or a template'],
  },
  {
    name: 'delay with both duration and until',
    yaml: ['action:', '  type: delay', '  duration: 5m', '  until: "2026-01-01T00:00:00Z"'],
    problems: ['3:13 action.duration: delay needs exactly one of duration (e.g. 10m) or until (an ISO time)'],
  },
  {
    name: 'an unknown transform operation',
    yaml: ['action:', '  type: transform', '  operation: reduce', '  input: []'],
    problems: ['3:14 action.operation: unknown transform operation "reduce"; known: filter, map, sort, aggregate, jq'],
  },
  {
    name: 'an aggregate without aggregations',
    yaml: ['action:', '  type: transform', '  operation: aggregate', '  input: []', '  aggregations: {}'],
    problems: ['5:17 action.aggregations: needs at least one aggregation, e.g. total: sum(amount)'],
  },
  {
    name: 'a variable name with a space',
    yaml: ['vars:', '  "bad name": 1'],
    problems: ['2:3 vars["bad name"]: variable names use letters, digits and _'],
  },
  {
    name: 'concurrency zero',
    yaml: ['concurrency: 0'],
    problems: ['1:14 concurrency: must be at least 1'],
  },
  {
    name: 'steps outside the workflow: wrapper',
    yaml: ['workflow:', '  name: X', 'steps: []'],
    problems: ['3:1 steps: unknown key "steps"; allowed here: workflow'],
  },
  {
    name: 'an empty url',
    yaml: ['action:', '  type: http_request', '  url:'],
    problems: ['3:7 action.url: must be text, not empty'],
  },
];

describe('documents that do not fit the schema', () => {
  it.each(cases)('$name', ({ yaml: lines, problems }) => {
    expect(problemsOf(yaml(...lines))).toEqual(problems);
  });

  it('reports every unknown key of a mapping, each at its own position', () => {
    expect(problemsOf(yaml('action:', '  type: log', '  mesage: hi', '  levle: info'))).toEqual([
      '3:3 action.mesage: unknown key "mesage"; did you mean "message"?',
      '4:3 action.levle: unknown key "levle"; did you mean "level"?',
    ]);
  });
});
