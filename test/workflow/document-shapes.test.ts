// The seed writes workflows in several shapes; all normalize to one WorkflowDefinition.
import { describe, expect, it } from 'vitest';
import { validWorkflow, yaml } from './helpers.js';

describe('workflow document shapes', () => {
  it('reads the same workflow with and without the workflow: wrapper', () => {
    const body = ['name: Ping', 'trigger:', '  type: manual', 'steps:', '  - name: Say Hi', '    action: {type: log, message: hi}'];
    const wrapped = validWorkflow(yaml('workflow:', ...body.map((line) => `  ${line}`))).workflow;
    expect(wrapped).toEqual(validWorkflow(yaml(...body)).workflow);
    expect(wrapped.slug).toBe('ping');
  });

  it('names a workflow without name: after its file', () => {
    expect(validWorkflow(yaml('trigger: {type: manual}'), { file: 'examples/actions/http-request.yaml' }).workflow).toMatchObject({
      name: 'http-request',
      slug: 'http-request',
      steps: [],
    });
    expect(validWorkflow(yaml('trigger: {type: manual}')).workflow.name).toBe('untitled');
  });

  it('keeps an explicit slug', () => {
    expect(validWorkflow(yaml('name: Customer Onboarding', 'slug: onboarding-v2')).workflow.slug).toBe('onboarding-v2');
  });

  it('takes a trigger written as the first step, keeping the other steps at their paths', () => {
    const { workflow } = validWorkflow(
      yaml(
        'steps:',
        '  - name: Receive Order',
        '    trigger:',
        '      type: webhook',
        '  - name: Log It',
        '    action: {type: log, message: "{{trigger.data.id}}"}',
      ),
      { file: 'orders.yaml' },
    );
    expect(workflow.trigger).toEqual({
      type: 'webhook',
      name: 'Receive Order',
      path: '/orders',
      method: 'POST',
      authentication: { type: 'none' },
    });
    expect(workflow.steps).toEqual([
      {
        kind: 'action',
        name: 'Log It',
        slug: 'log_it',
        path: 'steps[1]',
        action: { type: 'log', level: 'info', message: '{{trigger.data.id}}' },
      },
    ]);
  });

  it('makes a top-level action a one-step workflow named after its type', () => {
    const { workflow } = validWorkflow(yaml('action:', '  type: log', '  message: hi'));
    expect(workflow.trigger).toBeNull();
    expect(workflow.steps).toEqual([
      {
        kind: 'action',
        name: 'log',
        slug: 'log',
        path: 'action',
        generated_name: true,
        action: { type: 'log', level: 'info', message: 'hi' },
      },
    ]);
  });

  it('names unnamed steps after their action type, never taking a slug an author chose', () => {
    const { workflow } = validWorkflow(
      yaml(
        'steps:',
        '  - action: {type: http_request, url: "https://a.test"}',
        '  - name: HTTP Request',
        '    action: {type: log, message: x}',
        '  - action: {type: http_request, url: "https://b.test"}',
        '  - condition: {if: true, then: [{action: {type: log, message: y}}]}',
      ),
    );
    expect(workflow.steps.map((step) => [step.name, step.slug, step.generated_name ?? false])).toEqual([
      ['http_request_2', 'http_request_2', true],
      ['HTTP Request', 'http_request', false],
      ['http_request_3', 'http_request_3', true],
      ['condition', 'condition', true],
    ]);
    expect(workflow.steps[3]).toMatchObject({ then: [{ name: 'log', slug: 'log', path: 'steps[3].condition.then[0]' }] });
  });

  it('nests conditions and loops with paths down the tree', () => {
    const { workflow } = validWorkflow(
      yaml(
        'steps:',
        '  - name: Each Order',
        '    for_each:',
        '      over: "{{trigger.data.orders}}"',
        '      concurrency: 4',
        '      steps:',
        '        - name: Big Order',
        '          condition:',
        '            if: "{{item.total > 100}}"',
        '            then:',
        '              - name: Flag',
        '                action: {type: log, message: "{{item.id}}"}',
        '            else:',
        '              - name: Skip',
        '                action: {type: log, message: skip}',
      ),
    );
    expect(workflow.steps).toEqual([
      {
        kind: 'loop',
        name: 'Each Order',
        slug: 'each_order',
        path: 'steps[0]',
        over: '{{trigger.data.orders}}',
        concurrency: 4,
        steps: [
          {
            kind: 'condition',
            name: 'Big Order',
            slug: 'big_order',
            path: 'steps[0].for_each.steps[0]',
            if: '{{item.total > 100}}',
            then: [
              {
                kind: 'action',
                name: 'Flag',
                slug: 'flag',
                path: 'steps[0].for_each.steps[0].condition.then[0]',
                action: { type: 'log', level: 'info', message: '{{item.id}}' },
              },
            ],
            else: [
              {
                kind: 'action',
                name: 'Skip',
                slug: 'skip',
                path: 'steps[0].for_each.steps[0].condition.else[0]',
                action: { type: 'log', level: 'info', message: 'skip' },
              },
            ],
          },
        ],
      },
    ]);
  });

  it('reads run settings with durations in milliseconds', () => {
    const { workflow } = validWorkflow(
      yaml(
        'name: Settings',
        'concurrency: 5',
        'queue: "customer-{{trigger.data.customer_id}}"',
        'priority: 10',
        'timeout: 1h30m',
        'vars:',
        '  region: eu',
        'steps:',
        '  - name: Call',
        '    timeout: 45s',
        '    continue_on_error: true',
        '    action: {type: http_request, url: "https://x.test", timeout: 2500}',
      ),
    );
    expect(workflow).toMatchObject({
      concurrency: 5,
      queue: 'customer-{{trigger.data.customer_id}}',
      priority: 10,
      timeout_ms: 5_400_000,
      vars: { region: 'eu' },
    });
    expect(workflow.steps[0]).toMatchObject({ timeout_ms: 45_000, continue_on_error: true, action: { timeout: 2500 } });
  });
});
