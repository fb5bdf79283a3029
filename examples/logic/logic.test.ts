// The spec's conditional logic and error handling snippets.
import { describe, expect, it } from 'vitest';
import { compileTemplate } from '../../server/expression/template.js';
import type { ConditionStep } from '../../server/workflow/types.js';
import { exampleFile } from '../../test/workflow/example-file.js';

describe('logic examples', () => {
  it('conditional-logic.yaml: a webhook trigger step, a query, and a branch on stock', async () => {
    const { workflow, warnings } = exampleFile(new URL('./conditional-logic.yaml', import.meta.url));
    expect(warnings).toEqual([
      '15:16 workflow.steps[1].action.query: the query uses $1 but no parameters are given; add a value for each placeholder under parameters:',
    ]);
    expect(workflow.trigger).toEqual({
      type: 'webhook',
      name: 'Receive Order',
      path: '/order-processing',
      method: 'POST',
      authentication: { type: 'none' },
    });
    expect(workflow.steps.map((step) => [step.kind, step.slug, step.path])).toEqual([
      ['action', 'check_inventory', 'steps[1]'],
      ['condition', 'branch_on_stock', 'steps[2]'],
    ]);
    const branch = workflow.steps[1] as ConditionStep;
    expect(branch.then.map((step) => [step.name, step.path])).toEqual([['Process Order', 'steps[2].condition.then[0]']]);
    expect(branch.else.map((step) => [step.name, step.path])).toEqual([['Notify Out of Stock', 'steps[2].condition.else[0]']]);
    const inStock = compileTemplate(branch.if);
    expect(await inStock.evaluate({ steps: { check_inventory: { result: [{ stock: 5 }] } } })).toBe(true);
    expect(await inStock.evaluate({ steps: { check_inventory: { result: [{ stock: 0 }] } } })).toBe(false);
  });

  it('error-handling.yaml: retry three times with backoff, then alert three ways', () => {
    const { workflow } = exampleFile(new URL('./error-handling.yaml', import.meta.url));
    expect(workflow).toMatchObject({ name: 'error-handling', trigger: null, steps: [] });
    expect(workflow.error_handling).toEqual({
      strategy: 'retry_then_alert',
      retry: { attempts: 3, backoff: 'exponential', delay_ms: 1000, multiplier: 2, max_backoff_ms: 300_000, jitter: false },
      on_failure: [
        { type: 'send_email', to: 'admin@example.com', subject: 'Workflow Failed: {{workflow.name}}' },
        { type: 'log', level: 'error', message: '{{error.message}}' },
        { type: 'webhook', url: 'https://monitoring.example.com/alerts', method: 'POST' },
      ],
    });
  });
});
