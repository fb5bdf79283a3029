// The "New workflow" gallery: every template is a workflow the validator accepts.
import { describe, expect, it } from 'vitest';
import { validateWorkflowText } from '../../server/workflows/authoring.js';
import { BLANK_WORKFLOW, listWorkflowStarters } from '../../server/workflows/starters.js';

describe('workflow starters', () => {
  it("offers the spec's three example workflows and one starter per trigger type", async () => {
    const starters = await listWorkflowStarters();
    expect(starters.filter((s) => s.kind === 'example').map((s) => s.title)).toEqual([
      'Customer Onboarding',
      'Daily Database Backup',
      'E-commerce Order Processing',
    ]);
    expect(starters.filter((s) => s.kind === 'trigger').map((s) => /type: (\w+)/.exec(s.text)?.[1])).toEqual([
      'database',
      'email',
      'file_watcher',
      'manual',
      'schedule',
      'webhook',
    ]);
  });

  it('gives only documents that validate, the blank one included', async () => {
    for (const { id, text } of [...(await listWorkflowStarters()), { id: 'blank', text: BLANK_WORKFLOW }]) {
      expect({ id, ...validateWorkflowText(text) }).toMatchObject({ id, valid: true, problems: [] });
    }
  });
});
