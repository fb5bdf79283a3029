// The spec's action snippets, each a one-step workflow, and what they normalize to.
import { describe, expect, it } from 'vitest';
import type { ActionStep } from '../../server/workflow/types.js';
import { exampleFile } from '../../test/workflow/example-file.js';

function onlyStep(name: string): ActionStep {
  const { workflow, warnings } = exampleFile(new URL(`./${name}`, import.meta.url));
  expect(warnings).toEqual([]);
  expect(workflow.trigger).toBeNull();
  expect(workflow.steps).toHaveLength(1);
  return workflow.steps[0] as ActionStep;
}

describe('action examples', () => {
  it('http-request.yaml: a POST with templated headers and body, retried 3 times', () => {
    expect(onlyStep('http-request.yaml')).toEqual({
      kind: 'action',
      name: 'http_request',
      slug: 'http_request',
      path: 'action',
      generated_name: true,
      action: {
        type: 'http_request',
        method: 'POST',
        url: 'https://api.example.com/orders',
        headers: { Authorization: 'Bearer {{secrets.api_token}}', 'Content-Type': 'application/json' },
        body: { order_id: '{{trigger.data.id}}', customer: '{{trigger.data.customer_name}}' },
        response_type: 'auto',
        fail_on_status: true,
        follow_redirects: true,
      },
      retry: { attempts: 3, backoff: 'exponential', delay_ms: 1000, multiplier: 2, max_backoff_ms: 300_000, jitter: false },
    });
  });

  it('database-query.yaml: an INSERT with two parameters', () => {
    expect(onlyStep('database-query.yaml').action).toEqual({
      type: 'database_query',
      connection: 'postgres_main',
      query: 'INSERT INTO customers (name, email, created_at)\nVALUES ($1, $2, NOW())\n',
      parameters: ['{{trigger.data.name}}', '{{trigger.data.email}}'],
    });
  });

  it('send-email.yaml: a templated confirmation through the default SMTP connection', () => {
    expect(onlyStep('send-email.yaml').action).toEqual({
      type: 'send_email',
      smtp: 'default',
      to: '{{trigger.data.customer_email}}',
      subject: 'Order Confirmation #{{trigger.data.order_id}}',
      template: 'order_confirmation',
      data: { order_number: '{{trigger.data.order_id}}', total: '{{trigger.data.total}}' },
    });
  });

  it('run-script.yaml: node code with a 30 s timeout', () => {
    expect(onlyStep('run-script.yaml').action).toEqual({
      type: 'run_script',
      runtime: 'node',
      code: 'const data = context.trigger.data;\nconst total = data.items.reduce((sum, item) => sum + item.price, 0);\nreturn { total, item_count: data.items.length };\n',
      timeout: 30_000,
    });
  });

  it('file-write.yaml: the trigger data as JSON in a dated file', () => {
    expect(onlyStep('file-write.yaml').action).toEqual({
      type: 'file_write',
      path: '/data/reports/daily-{{date}}.json',
      content: '{{json(trigger.data)}}',
      encoding: 'utf8',
      mode: 'overwrite',
    });
  });
});
