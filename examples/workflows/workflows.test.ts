// The spec's three example workflows.
import { describe, expect, it } from 'vitest';
import { compileTemplate } from '../../server/expression/template.js';
import type { ActionStep, ConditionStep } from '../../server/workflow/types.js';
import { exampleFile } from '../../test/workflow/example-file.js';

const example = (name: string) => exampleFile(new URL(`./${name}`, import.meta.url));
const outline = (steps: { kind: string; slug: string }[]) => steps.map((step) => `${step.kind}:${step.slug}`);

describe('example workflows', () => {
  it('customer-onboarding.yaml: insert, welcome email, sales task', async () => {
    const { workflow, warnings } = example('customer-onboarding.yaml');
    expect(warnings).toEqual([]);
    expect(workflow).toMatchObject({
      name: 'Customer Onboarding',
      slug: 'customer-onboarding',
      trigger: { type: 'webhook', path: '/customers/new' },
    });
    expect(outline(workflow.steps)).toEqual(['action:create_customer_record', 'action:send_welcome_email', 'action:create_task_for_sales']);
    const task = (workflow.steps[2] as ActionStep).action;
    const context = { trigger: { data: { name: 'Ada', account_manager: 'grace' } }, vars: { khaosbase_url: 'https://kb.local' } };
    expect(await compileTemplate({ url: task.url, body: task.body }).evaluate(context)).toEqual({
      url: 'https://kb.local/api/tasks',
      body: { title: 'Onboard Ada', assigned_to: 'grace' },
    });
  });

  it('daily-backup.yaml: dump, compress, upload, clean up, notify at 2 AM', async () => {
    const { workflow, warnings } = example('daily-backup.yaml');
    expect(warnings).toEqual([]);
    expect(workflow).toMatchObject({
      name: 'Daily Database Backup',
      slug: 'daily-database-backup',
      trigger: { type: 'schedule', cron: '0 2 * * *', timezone: 'UTC' },
    });
    expect(outline(workflow.steps)).toEqual([
      'action:dump_database',
      'action:compress_backup',
      'action:upload_to_s3',
      'action:cleanup_local_file',
      'action:notify_admin',
    ]);
    const upload = (workflow.steps[2] as ActionStep).action;
    expect(await compileTemplate(upload.destination).evaluate({ date: '2026-05-04' })).toBe('s3://backups/daily-2026-05-04.sql.gz');
  });

  it('order-processing.yaml: validate, check stock, pay only when all items are in stock', async () => {
    const { workflow, warnings } = example('order-processing.yaml');
    expect(warnings).toEqual([]);
    expect(workflow).toMatchObject({
      name: 'E-commerce Order Processing',
      slug: 'e-commerce-order-processing',
      trigger: { type: 'webhook', path: '/orders/new' },
    });
    expect(outline(workflow.steps)).toEqual([
      'action:validate_order',
      'action:check_inventory',
      'condition:process_payment',
      'action:update_inventory',
      'action:send_confirmation',
    ]);
    const [payment] = (workflow.steps[2] as ConditionStep).then as ActionStep[];
    expect(payment).toMatchObject({
      name: 'http_request',
      generated_name: true,
      action: { type: 'http_request', url: '{{payment_gateway_url}}/charge', method: 'POST' },
    });

    const parameters = compileTemplate((workflow.steps[1] as ActionStep).action.parameters);
    expect(await parameters.evaluate({ trigger: { data: { items: [{ product_id: 11 }] } } })).toEqual([[11]]);
    const allInStock = compileTemplate((workflow.steps[2] as ConditionStep).if);
    const rows = (...stocks: number[]) => ({ steps: { check_inventory: { result: stocks.map((stock, id) => ({ id, stock })) } } });
    expect(await allInStock.evaluate(rows(3, 1))).toBe(true);
    expect(await allInStock.evaluate(rows(3, 0))).toBe(false);
  });
});
